/**
 * Transient faults are retried with back-off and the link still completes; garbled answers are
 * retried too, never read as "no entries"; a rejected static token backs off (never a tight loop)
 * and says so, until an operator fixes the token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { sleep, waitFor } from './helpers/wait';
import { approvingPair } from './helpers/approving-pair';

let h: LinkHarness;
beforeAll(async () => {
  // A short HTTP time-out so that a slow answer is a time-out within the test's patience.
  h = await startLinkHarness({ httpTimeoutMs: 500 });
});
afterAll(async () => {
  await h.close();
});

describe('transient faults are retried and the link completes', () => {
  it('-1 (system busy) three times on send: linked, with four sends', async () => {
    const { oa, mp } = approvingPair(h);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: -1, errmsg: 'system error', times: 3 });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(4);
  });

  it('HTTP 502 twice while polling: linked, the retries visible in the calls', async () => {
    const { oa, mp } = approvingPair(h);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', httpStatus: 502, times: 2 });
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
    const answers = h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).map((c) => c.httpStatus);
    expect(answers.filter((status) => status === 502)).toHaveLength(2);
  });

  it('a garbage body: retried, linked', async () => {
    const { oa, mp } = approvingPair(h);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', rawBody: '{"errcode":0,"errm' });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(2);
  });

  it('a response slower than the time-out: retried, linked', async () => {
    const { oa, mp } = approvingPair(h);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', delayMs: 1_500 });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
  });

  it('the last transient error is visible in getLinkState while retrying', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: -1, errmsg: 'system error', times: 1000 });
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) >= 3, 'three sends');
    const state = await h.links.getState(oa, mp);
    expect(state.phase).toBe('sending');
    expect(state.lastError).toMatchObject({ type: 'WeChatTransient', errcode: -1 });
    expect(state.lastError?.consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(state.nextPollAt).not.toBeNull();
    await handle.cancel();
  });
});

/** `wxamplinkget` answers that only look like "no entries": each must be retried, never believed. */
const GARBLED_EMPTY_ANSWERS = [
  '{"errcode":0,"errmsg":"ok"}',
  '{"errcode":0,"errmsg":"ok","wxopens":null}',
  '{"errcode":0,"errmsg":"ok","wxopens":{}}',
  '{"errcode":"","errmsg":"ok","wxopens":{"items":[]}}',
  '{"errcode":null,"errmsg":"ok","wxopens":{"items":[]}}',
];

describe('garbled and oversize answers are retried, never read as "no entries"', () => {
  it('an unlink of a linked pair whose snapshots are garbled waits (the malformed answer in lastError), then unlinks', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1 });
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 1 });
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"errmsg":"ok"}', times: 1_000 });
    const handle = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(async () => ((await h.links.getState(oa, mp, 'unlink')).lastError?.consecutiveFailures ?? 0) >= 3, 'three failed snapshots');
    const state = await h.links.getState(oa, mp, 'unlink');
    expect(state.outcome).toBeNull();
    expect(state.lastError).toMatchObject({ type: 'WeChatTransient', message: expect.stringContaining('wxamplinkget: malformed answer: no wxopens') });
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(0);

    h.simulator.clearFaults();
    for (const rawBody of GARBLED_EMPTY_ANSWERS) h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody });
    const result = await handle.result();
    expect(result.outcome).toBe('unlinked');
    expect(h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa })).toBe(1);
    expect(h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).filter((c) => c.faulted).length).toBeGreaterThanOrEqual(
      3 + GARBLED_EMPTY_ANSWERS.length,
    );
  });

  it('a waiting link whose polls are garbled or oversize never ends expired: it links', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    // A minute: the retries of 2 × 9 bad answers back off, and take over 10 s on a loaded machine.
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '1m' });
    await waitFor(async () => (await h.links.getState(oa, mp)).status === 12, 'the link waiting at status 12');
    for (const rawBody of GARBLED_EMPTY_ANSWERS) h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody, times: 2 });
    // Valid JSON listing no entries, but over 1 MiB: only the size limit tells it from a real answer.
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', oversizeBytes: 2 * 1024 * 1024, times: 2 });
    await waitFor(() => h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).filter((c) => c.faulted).length >= 4, 'garbled polls');
    const state = await h.links.getState(oa, mp);
    expect(state).toMatchObject({ phase: 'waiting', outcome: null, lastError: { type: 'WeChatTransient' } });
    expect(state.lastError?.message).toMatch(/malformed answer|not a number/);
    await waitFor(
      () => h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).filter((c) => c.faulted).length === 2 * GARBLED_EMPTY_ANSWERS.length + 2,
      'every garbled poll',
      45_000,
    );
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, 1]);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
  });
});

describe('a rejected static token', () => {
  it('40001: backs off (no tight loop), says the token was rejected, and goes on once the token is fixed', async () => {
    const { oa, mp } = approvingPair(h);
    const goodToken = h.tokens.get(oa) ?? '';
    h.tokens.set(oa, 'an-old-token-that-wechat-no-longer-accepts');
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });

    const rejectedCalls = () => h.simulator.calls().filter((call) => call.accountAppId === null).length;
    await waitFor(() => rejectedCalls() >= 3, 'three rejected calls');
    const state = await h.links.getState(oa, mp);
    expect(state.lastError).toMatchObject({ type: 'WeChatTokenRejected', errcode: 40001 });
    expect(state.lastError?.message).toMatch(/rejected.*replace it/);
    expect(state.lastError?.message).not.toContain('an-old-token');

    // Back-off: the waits are 400 ms (4 × pollInterval, capped by maxPollInterval), so in one
    // second there are at most a few attempts, not hundreds.
    const before = rejectedCalls();
    await sleep(1_000);
    expect(rejectedCalls() - before).toBeLessThanOrEqual(4);

    h.tokens.set(oa, goodToken); // the operator fixes the token
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
  });

  it('45009 (daily quota): waits an hour or more, so the deadline comes first: timed_out with the quota error', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: 45009, errmsg: 'reach max api daily quota limit' });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '4s' })).result();
    expect(result.outcome).toBe('timed_out');
    expect(result.lastError).toMatchObject({ type: 'WeChatQuotaExhausted', errcode: 45009 });
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
  });

  it('45011 (frequency limit): retried after a longer back-off, then linked', async () => {
    const { oa, mp } = approvingPair(h);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: 45011, errmsg: 'api minute-quota reach limit' });
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
    expect(result.outcome).toBe('linked');
    const sends = h.simulator.calls({ endpoint: 'wxamplink', accountAppId: oa });
    expect(sends).toHaveLength(2);
    expect(Date.parse(sends[1]?.at ?? '') - Date.parse(sends[0]?.at ?? '')).toBeGreaterThanOrEqual(400);
  });
});
