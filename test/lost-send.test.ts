/**
 * A `wxamplink` whose answer was lost (a 5xx, a garbled body, no answer in time) may have reached
 * WeChat all the same. The link looks at `wxamplinkget` before sending again: at most one
 * invitation per pair unless the list shows no entry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness({ httpTimeoutMs: 1_000 });
});
afterAll(async () => {
  await h.close();
});

const sends = (oa: string): number => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa });
const statuses = (result: { transitions: Array<{ status: number }> }): number[] => result.transitions.map((t) => t.status);

describe('a lost answer to wxamplink', () => {
  it.each([
    ['an HTTP 502', { httpStatus: 502 }],
    ['a garbled body', { rawBody: '{"errcode":0,"errm' }],
    ['no answer within the client time-out', { delayMs: 1_500 }],
  ])('after %s, the list shows the invitation is out: no second send, and the link ends linked', async (_name, fault) => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', afterApplying: true, ...fault });
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    // (The look is a poll too: the script may show 2 before the wait's first answer.)
    expect(statuses(result).at(-1)).toBe(1);
    expect(sends(oa)).toBe(1);
  });

  it.each([
    ['both admins confirmed before the look: linked, not already_linked', 'confirm-mini-program', 'linked'],
    ['the admin refused before the look: rejected, and no second invitation goes out', 'refuse', 'rejected'],
  ] as const)('%s; one send', async (_name, lastAction, outcome) => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', afterApplying: true, httpStatus: 503 });
    // The look comes a back-off after the failure: the admins act first.
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, pollInterval: '1s', maxPollInterval: '2s' });
    await waitFor(() => h.simulator.entries(oa).length === 1, 'the invitation reached WeChat');
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, lastAction);
    const result = await handle.result();
    expect(result.outcome).toBe(outcome);
    expect(sends(oa)).toBe(1);
  });

  it.each([
    [
      'the list shows no entry (the send never arrived): sent again after the look',
      { httpStatus: 502 },
      ['wxamplinkget', 'wxamplink', 'wxamplinkget', 'wxamplink'],
    ],
    ['a rate limit is an answer, not a lost one: sent again without a look', { errcode: 45011 }, ['wxamplinkget', 'wxamplink', 'wxamplink']],
  ])('%s, once, then linked', async (_name, fault, firstCalls) => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', ...fault });
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    expect(sends(oa)).toBe(2);
    // The baseline snapshot, the send, (the look,) the send again; then the polls.
    const calls = h.simulator.calls({ accountAppId: oa }).map((call) => call.endpoint);
    expect(calls.slice(0, firstCalls.length)).toEqual(firstCalls);
  });

  it('with a known username and appid-less answers, the look finds the entry by username', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mp = h.newMiniProgram();
    h.simulator.configureMiniProgram(mp, { username: 'gh_0123456789ab' });
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', afterApplying: true, httpStatus: 502 });
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: 'gh_0123456789ab', ...FAST })).result();
    expect(result).toMatchObject({ outcome: 'linked', username: 'gh_0123456789ab' });
    expect(sends(oa)).toBe(1);
  });
});
