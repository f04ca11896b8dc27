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
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

const approve = (oa: string, mp: string) =>
  h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);

describe('matching entries without appid', () => {
  it('by the caller-given username, among other pending entries', async () => {
    const oa = h.newAccount({ includeAppId: false });
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 12 });
    h.simulator.configureMiniProgram(mp, { username: 'gh_feedfacecafe' });
    approve(oa, mp);
    const result = await (
      await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: 'gh_feedfacecafe', ...FAST })
    ).result();
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
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '3s' });
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
});
