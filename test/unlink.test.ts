/**
 * `unlinkMiniProgram`: every outcome of DESIGN's unlink column, and link/unlink exclusion, on a
 * real Temporal server with the HTTP simulator; each asserts the outcome and the calls made.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { ConflictingWorkflowError } from '../client';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

/** A linked pair. */
function linkedPair(options: { includeAppId?: boolean } = {}): { oa: string; mp: string } {
  const oa = h.newAccount(options);
  const mp = h.newMiniProgram();
  h.simulator.seedEntry(oa, mp, { status: 1 });
  return { oa, mp };
}

const unlink = async (oa: string, mp: string, extra: Record<string, unknown> = {}) =>
  (await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, ...extra })).result();

describe('unlinkMiniProgram outcomes', () => {
  it('sends wxampunlink, waits for the account admin, and ends unlinked once the entry is gone', async () => {
    const { oa, mp } = linkedPair();
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 2 });
    const result = await unlink(oa, mp);
    expect(result).toMatchObject({ outcome: 'unlinked', status: 1 });
    // Listed (the watcher's first answer; the next, the same, is sent to nobody), then gone twice
    // in a row (one answer without the entry is not trusted).
    expect(result.polls).toBe(3);
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(5);
    expect(h.simulator.calls({ endpoint: 'wxampunlink', accountAppId: oa }).map((c) => c.body)).toEqual([{ appid: mp }]);
    expect(h.simulator.entries(oa)).toEqual([]);
  });

  it("an entry already gone at its new watcher's first answer: unlinked at the next answer, which only the unlink is sent", async () => {
    const { oa, mp } = linkedPair();
    // Gone as soon as the unlink is sent: the account's watcher starts with the unlink and its first
    // answer already lacks the entry. One answer alone is not trusted, and a watcher's first answer
    // is not followed by a second one to everyone, so the watcher must owe it to this waiter.
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 0 });
    const result = await unlink(oa, mp);
    expect(result).toMatchObject({ outcome: 'unlinked', status: 1 });
    // Gone twice in a row (the look before the send, which listed it, is not a poll of the wait).
    expect(result.polls).toBe(2);
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(3);
  });

  it('not linked: not_linked, and wxampunlink is never called', async () => {
    const oa = h.newAccount();
    const result = await unlink(oa, h.newMiniProgram());
    expect(result.outcome).toBe('not_linked');
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(0);
  });

  it('a pending invitation is not a link: not_linked with its status, nothing sent', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 12 });
    const result = await unlink(oa, mp);
    expect(result).toMatchObject({ outcome: 'not_linked', status: 12 });
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(0);
  });

  it.each([
    ['shown in "nearby"', { nearby: true }, 89011],
    ['a store mini program', { store: true }, 89012],
  ])('%s (%j): refused with errcode %i', async (_what, config, errcode) => {
    const { oa, mp } = linkedPair();
    h.simulator.configureMiniProgram(mp, config);
    const result = await unlink(oa, mp);
    expect(result).toMatchObject({ outcome: 'refused', errcode });
    expect(result.errmsg).toBeTruthy();
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(1);
  });

  it('89013 (banned) and undocumented codes: refused, no retry', async () => {
    for (const errcode of [89013, 1005]) {
      const { oa, mp } = linkedPair();
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxampunlink', errcode, errmsg: `code ${errcode}` });
      expect(await unlink(oa, mp)).toMatchObject({ outcome: 'refused', errcode, errmsg: `code ${errcode}` });
      expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(1);
    }
  });

  it('89018 (unlink message already sent) keeps waiting, then unlinked when the admin confirms', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1, unlinkPending: true });
    const handle = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(async () => (await h.links.getState(oa, mp, 'unlink')).phase === 'waiting', 'the wait');
    expect(h.simulator.calls({ endpoint: 'wxampunlink', accountAppId: oa }).map((c) => c.errcode)).toEqual([89018]);
    h.simulator.act(oa, mp, 'confirm-unlink');
    expect((await handle.result()).outcome).toBe('unlinked');
  });

  it('transient faults (-1 twice on send, 502 on a poll) are retried: unlinked', async () => {
    const { oa, mp } = linkedPair();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxampunlink', errcode: -1, times: 2 });
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 2 });
    const handle = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa }) === 3, 'the third send');
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', httpStatus: 502 });
    expect((await handle.result()).outcome).toBe('unlinked');
    expect(h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).some((c) => c.httpStatus === 502)).toBe(true);
  });

  it('answers without appid: needs miniProgramUsername, and never guesses', async () => {
    const { oa, mp } = linkedPair({ includeAppId: false });
    const error = await unlink(oa, mp).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe('MiniProgramUsernameRequired');
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(0);

    const username = h.simulator.entries(oa)[0]?.username;
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 1 });
    expect((await unlink(oa, mp, { miniProgramUsername: username })).outcome).toBe('unlinked');
  });

  it('the deadline passes while the admin does nothing: timed_out', async () => {
    const { oa, mp } = linkedPair();
    const result = await unlink(oa, mp, { timeout: '1500ms' });
    expect(result.outcome).toBe('timed_out');
    expect(h.simulator.entries(oa)).toHaveLength(1);
  });
});

describe('a link and an unlink of the same pair never run at once', () => {
  it('the client refuses an unlink while the link runs, and the reverse', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const link = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    const refusal = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConflictingWorkflowError);
    expect((refusal as Error).message).toContain(`wxamp-link/${oa}/${mp}`);
    await link.cancel();

    const { oa: oa2, mp: mp2 } = linkedPair();
    const unlinking = await h.links.unlink({ officialAccountAppId: oa2, miniProgramAppId: mp2, ...FAST });
    await expect(h.links.link({ officialAccountAppId: oa2, miniProgramAppId: mp2 })).rejects.toBeInstanceOf(ConflictingWorkflowError);
    await unlinking.cancel();
  });

  it('a workflow started around the client fails with ConflictingWorkflow before calling WeChat', async () => {
    // A pair that is not linked yet, so that the link stays waiting (a linked one ends at once).
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const link = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'the link to wait');
    const error = await h.client.workflow
      .execute('unlinkMiniProgram', {
        taskQueue: h.taskQueue,
        workflowId: `wxamp-unlink/${oa}/${mp}`,
        args: [{ officialAccountAppId: oa, miniProgramAppId: mp }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('ConflictingWorkflow');
    expect(cause.message).toContain(`wxamp-link/${oa}/${mp}`);
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(0);
    await link.cancel();
  });
});
