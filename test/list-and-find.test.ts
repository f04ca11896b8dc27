/**
 * `listLinkedMiniPrograms` keeps every field WeChat sends, and `findLinks` finds workflows by
 * their search attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { type ActivityFailure, type ApplicationFailure } from '@temporalio/common';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

describe('listLinkedMiniPrograms', () => {
  it("returns every entry with every field under WeChat's own name, plus statusMeaning", async () => {
    const oa = h.newAccount();
    const linked = h.newMiniProgram();
    const pending = h.newMiniProgram();
    h.simulator.seedEntry(oa, linked, { status: 1 });
    h.simulator.seedEntry(oa, pending, { status: 4 });
    const items = await h.links.list(oa);
    expect(items).toEqual(h.simulator.entries(oa).map((item) => expect.objectContaining({ ...item })));
    const byAppId = new Map(items.map((item) => [item.appid, item]));
    expect(byAppId.get(linked)).toMatchObject({ status: 1, statusMeaning: 'linked' });
    expect(byAppId.get(pending)?.statusMeaning).toMatch(/undocumented status 4/);
    for (const field of [
      'username',
      'nickname',
      'source',
      'selected',
      'nearby_display_status',
      'released',
      'headimg_url',
      'func_infos',
      'copy_verify_status',
      'email',
    ]) {
      expect(byAppId.get(linked)).toHaveProperty(field);
    }
  });

  it('is retried through transient faults', async () => {
    const oa = h.newAccount();
    h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 2 });
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', httpStatus: 503 });
    expect(await h.links.list(oa)).toHaveLength(1);
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(2);
  });

  it('a definitive errcode fails the workflow with that errcode, without retrying', async () => {
    const oa = h.newAccount();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 61007, errmsg: 'api is unauthorized to component' });
    const error = await h.links.list(oa).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause as ActivityFailure;
    const cause = activityFailure.cause as ApplicationFailure;
    expect(cause.type).toBe('WeChatRefused');
    expect(cause.details?.[0]).toMatchObject({ errcode: 61007 });
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(1);
  });
});

describe('findLinks', () => {
  it('finds link workflows by account, mini program and status', async () => {
    const oa = h.newAccount();
    const done = h.newMiniProgram();
    const waiting = h.newMiniProgram();
    h.simulator.scriptLink(oa, done, AUTO_CONFIRM_SCRIPT);
    await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: done, ...FAST })).result();
    const pending = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: waiting, ...FAST });
    // Visibility lags behind the histories on a production server (and the two links' records
    // need not arrive in order): wait until both are seen as they are, then look closely.
    await waitFor(
      async () =>
        (await h.links.findLinks({ officialAccountAppId: oa, status: 'waiting' })).length === 1 &&
        (await h.links.findLinks({ officialAccountAppId: oa, status: 'linked' })).length === 1,
      'the waiting link and the linked one in visibility',
    );

    const waitingOnes = await h.links.findLinks({ officialAccountAppId: oa, status: 'waiting' });
    expect(waitingOnes.map((f) => f.miniProgramAppId)).toEqual([waiting]);
    const linkedOnes = await h.links.findLinks({ officialAccountAppId: oa, status: 'linked' });
    expect(linkedOnes).toEqual([
      expect.objectContaining({ miniProgramAppId: done, wxLinkStatus: 'linked', executionStatus: 'COMPLETED', workflowType: 'linkMiniProgram' }),
    ]);
    expect((await h.links.findLinks({ officialAccountAppId: oa })).length).toBe(2);
    expect((await h.links.findLinks({ miniProgramAppId: done })).map((f) => f.officialAccountAppId)).toEqual([oa]);
    await pending.cancel();
  });

  it('refuses a filter value that could change the query', async () => {
    await expect(h.links.findLinks({ officialAccountAppId: "x' OR 1=1" })).rejects.toThrow(/officialAccountAppId/);
    await expect(h.links.findLinks({ status: "linked' OR 'a'='a" })).rejects.toThrow(/status/);
  });
});
