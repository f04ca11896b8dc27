/**
 * Every outcome of DESIGN's table, on a real Temporal server with a real HTTP simulator: each test
 * asserts the outcome, the statuses seen, and the calls WeChat received.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

const statuses = (result: { transitions: Array<{ status: number }> }) => result.transitions.map((t) => t.status);

describe('linkMiniProgram outcomes', () => {
  it('both admins approve: linked, with transitions 12, 2, 1', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, showProfile: true, ...FAST })).result();

    expect(result).toMatchObject({ outcome: 'linked', status: 1, officialAccountAppId: oa, miniProgramAppId: mp });
    expect(statuses(result)).toEqual([12, 2, 1]);
    expect(result.username).toMatch(/^gh_/);
    expect(result.nickname).toBeTruthy();
    expect(result.transitions.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
    const send = h.simulator.calls({ endpoint: 'wxamplink', accountAppId: oa })[0];
    expect(send?.body).toEqual({ appid: mp, notify_users: '0', show_profile: '1' });
    // One baseline snapshot before the send, then one poll per answer read (and, on a busy
    // machine, one more by the account's watcher if its next poll comes before the link's leave).
    const gets = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa });
    expect(gets).toBeGreaterThanOrEqual(result.polls + 1);
    expect(gets).toBeLessThanOrEqual(result.polls + 2);
    expect(result.polls).toBe(3);
  });

  it('the mini-program admin refuses: rejected', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, [
      { afterPolls: 1, then: 2 },
      { afterPolls: 1, then: 3 },
    ]);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('rejected');
    expect(statuses(result)).toEqual([12, 2, 3]);
  });

  it('89015 on send: already_linked, and no poll after the send', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1 });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result).toMatchObject({ outcome: 'already_linked', errcode: 89015, polls: 0 });
    const calls = h.simulator.calls({ accountAppId: oa }).map((c) => c.endpoint);
    expect(calls).toEqual(['wxamplinkget', 'wxamplink']); // the baseline snapshot, then the send
  });

  it('89015 with a known username: no wxamplinkget call at all', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1 });
    const username = h.simulator.entries(oa)[0]?.username;
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: username, ...FAST })).result();
    expect(result.outcome).toBe('already_linked');
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(0);
  });

  it.each([89010, 89035])('%i on send still waits for the admins, then linked', async (errcode) => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 12 });
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode, errmsg: 'invitation already sent' });
    // The script starts now, so the snapshot taken before the send is its first poll.
    h.simulator.scriptLink(oa, mp, [
      { afterPolls: 2, then: 2 },
      { afterPolls: 1, then: 1 },
    ]);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    expect(statuses(result)).toEqual([12, 2, 1]);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
  });

  it.each([89007, 89008, 89009, 89013, 89016, 89017, 61007, 48001, 40013, 1005])(
    'errcode %i on send: refused with errcode and errmsg, sent once, never retried',
    async (errcode) => {
      const oa = h.newAccount();
      const mp = h.newMiniProgram();
      h.simulator.configureMiniProgram(mp, { linkErrcode: errcode, linkErrmsg: `refusal ${errcode}` });
      const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
      expect(result).toMatchObject({ outcome: 'refused', errcode, errmsg: `refusal ${errcode}` });
      expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
    },
  );

  it('an undocumented errcode while polling, answered again and again: refused, not an endless retry', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 89407, errmsg: 'something new', times: 1_000 });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: 'gh_0123456789ab', ...FAST })).result();
    expect(result).toMatchObject({ outcome: 'refused', errcode: 89407, errmsg: 'something new' });
    // One answer about the whole account is not a verdict: the test worker's policy wants three
    // in a row over a second (production: three over ten minutes).
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBeGreaterThanOrEqual(3);
  });

  it('the entry vanishes before reaching 1 or 3: expired', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, [{ afterPolls: 2, then: 'vanish' }]);
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('expired');
    expect(statuses(result)).toEqual([12]);
  });

  it('an undocumented status 4 is recorded and kept as pending, never taken for success', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, [
      { afterPolls: 1, then: 4 },
      { afterPolls: 2, then: 2 },
      { afterPolls: 1, then: 1 },
    ]);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(statuses(result)).toEqual([12, 4, 2, 1]);
  });

  it('nobody confirms: timed_out at the deadline', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const started = Date.now();
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '2s' })).result();
    expect(result.outcome).toBe('timed_out');
    expect(statuses(result)).toEqual([12]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    // It read the watcher's first answer; nothing changed after it, so it was not woken again.
    expect(result.polls).toBe(1);
    // The account was polled all along, backing off up to maxPollInterval: far fewer calls than
    // 2 s / 100 ms (the link's baseline snapshot before its send is one of them).
    const calls = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa });
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(10);
  });
});
