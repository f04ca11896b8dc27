/**
 * Older wxamplinkget answers carry no appid: the workflow finds its entry by the caller's
 * username, else by the entry new since the invitation, and never guesses between two.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_CONFIRM_SCRIPT, defaultUsername } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  // The last test's slow send must be answered late, not time out (the harness gives up after 2 s).
  h = await startLinkHarness({ httpTimeoutMs: 10_000 });
});
afterAll(async () => {
  await h.close();
});

const approve = (oa: string, mp: string) => h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);

describe('matching entries without appid', () => {
  it('by the caller-given username, among other pending entries', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 12 });
    h.simulator.configureMiniProgram(mp, { username: 'gh_feedfacecafe' });
    approve(oa, mp);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: 'gh_feedfacecafe', ...FAST })).result();
    expect(result).toMatchObject({ outcome: 'linked', username: 'gh_feedfacecafe' });
    expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
  });

  it('by the snapshot diff: the one entry new since the invitation', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 12 });
    h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 1 });
    approve(oa, mp);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.username).toBe(defaultUsername(mp));
    const state = await handle.query('getLinkState');
    expect(state).toMatchObject({ matching: { by: 'snapshot_diff' } });
  });

  it('two unknown new candidates: keeps waiting, says so, and never guesses', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mp = h.newMiniProgram();
    const stranger = h.newMiniProgram();
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '6s' });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
    // Someone else's invitation appears at the same time (e.g. sent from the web console).
    h.simulator.seedEntry(oa, stranger, { status: 12 });
    h.simulator.act(oa, stranger, 'confirm-account');
    h.simulator.act(oa, stranger, 'confirm-mini-program');
    await waitFor(async () => (await h.links.getState(oa, mp)).matching.candidates.length === 2, 'the ambiguity in the state');
    const state = await h.links.getState(oa, mp);
    expect(state.status).toBeNull();
    expect(state.matching.note).toMatch(/could be ours/);
    const result = await handle.result();
    // The stranger was linked (status 1) but was never taken for ours.
    expect(result.outcome).toBe('timed_out');
    expect(result.transitions).toEqual([]);
  });

  it('two links waiting on one account: neither takes by elimination an entry the other could claim', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mine = h.newMiniProgram();
    const theirs = h.newMiniProgram();
    // Their invitation is already pending (89010): no new entry of theirs will appear.
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', miniProgramAppId: theirs, errcode: 89010 });
    const theirLink = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: theirs, ...FAST, timeout: '30s' });
    await waitFor(async () => (await h.links.getState(oa, theirs)).phase === 'waiting', 'their link waiting');
    await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mine, ...FAST, timeout: '30s' });
    await waitFor(() => h.simulator.entries(oa).length === 1, 'my invitation listed');
    // My entry is new to both: each says so, and neither takes it.
    await waitFor(async () => (await h.links.getState(oa, theirs)).matching.note?.includes(defaultUsername(mine)) === true, 'their ambiguity');
    await waitFor(async () => (await h.links.getState(oa, mine)).matching.note?.includes(defaultUsername(mine)) === true, 'my ambiguity');
    for (const mp of [mine, theirs]) {
      const state = await h.links.getState(oa, mp);
      expect(state.status).toBeNull();
      expect(state.username).toBeNull();
      expect(state.matching.by).toBeNull();
      expect(state.matching.note).toMatch(/could be ours or wxamp-link\//);
    }
    // Once they leave, my entry is mine alone: the next answer settles it.
    await theirLink.cancel();
    await h.links.pollNow(oa, mine);
    await waitFor(async () => (await h.links.getState(oa, mine)).matching.by === 'snapshot_diff', 'mine matched', 10_000);
    h.simulator.act(oa, mine, 'confirm-account');
    h.simulator.act(oa, mine, 'confirm-mini-program');
    const result = await h.links.result(oa, mine);
    expect(result).toMatchObject({ outcome: 'linked', username: defaultUsername(mine) });
  });

  it('a username learned by elimination is claimed: a later link whose baseline predates it takes only its own entry', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const early = h.newMiniProgram();
    const late = h.newMiniProgram();
    // (maxPollInterval 2 s puts the waiters' watchdog, which joins again with a fresh claim, 24 s away.)
    // The late link takes its baseline first (nothing listed), then its send is slow to arrive: its
    // entry appears only when the delay is over. The early link must start, send and be answered
    // within that delay (else both entries are new to it too, and it rightly never guesses), so the
    // delay leaves room for a loaded machine; it stays under this file's HTTP time-out (10 s).
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', miniProgramAppId: late, delayMs: 6_000 });
    const lateLink = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: late, ...FAST, maxPollInterval: '2s', timeout: '40s' });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa }) >= 1, 'the late baseline');
    const earlyLink = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: early, ...FAST, maxPollInterval: '2s', timeout: '40s' });
    await waitFor(async () => (await h.links.getState(oa, early)).matching.by === 'snapshot_diff', 'the early link matched');
    // Both entries are new to the late link; the early one is claimed by name, so its own is the one left.
    await waitFor(async () => (await h.links.getState(oa, late)).matching.by === 'snapshot_diff', 'the late link matched', 10_000);
    expect((await h.links.getState(oa, early)).username).toBe(defaultUsername(early));
    expect((await h.links.getState(oa, late)).username).toBe(defaultUsername(late));
    await Promise.all([earlyLink.cancel(), lateLink.cancel()]);
  });
});
