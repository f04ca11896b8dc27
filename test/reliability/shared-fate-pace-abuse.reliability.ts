/**
 * Scenario 11, pace abuse: the account's pace belongs to the operator. Against a worker whose
 * floor (`WXAMP_MIN_POLL_INTERVAL`) is 500 ms, starters ask for 50 ms polls, a backend sends a
 * storm of `pollNow` (while the account answers, and while it fails), and someone signals the
 * account's watcher by hand with a 1 ms interval. WeChat's call log must show no two
 * `wxamplinkget` of the account closer than the floor (with a little slack for where the two
 * clocks stamp a call), and every link still ends as its admins decide.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultUsername, type CallRecord } from '../../simulator';
import { getAccountWatchState, watchWorkflowId } from '../../workflows/contract';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { TEST_POLICY } from '../helpers/test-policy';
import { sleep, waitFor } from '../helpers/wait';
import { minGapMs } from './helpers/call-pace';
import { reportRow } from './helpers/report';
import { scenarioRandom, secondsSince } from './helpers/suite';

const FLOOR_MS = 500;
/** The simulator stamps arrivals, the watcher its own clock: allow a fifth of the floor between them. */
const SLACK = 0.8;
const LINKS = 5;
const GREEDY = { pollInterval: '50ms', maxPollInterval: '100ms', timeout: '2m' } as const;
const STORM_SIGNALS = 50;
const STORM_MS = 2_000;

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness({ policy: { ...TEST_POLICY, minPollIntervalMs: FLOOR_MS } });
});
afterAll(async () => {
  await h?.close();
});

/** One account with {@link LINKS} greedy links waiting at status 12, and what the scenario does to it. */
async function greedyAccount(random: () => number) {
  const oa = h.newAccount();
  const mps = Array.from({ length: LINKS }, () => h.newMiniProgram());
  const gets = (): CallRecord[] => h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa });
  // Usernames known: no link reads a baseline, so every wxamplinkget of the account is the watcher's poll.
  await Promise.all(mps.map((mp) => h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: defaultUsername(mp), ...GREEDY })));
  for (const mp of mps) await waitFor(async () => (await h.links.getState(oa, mp)).status === 12, `${mp} waiting at 12`, 30_000);
  return {
    oa,
    mps,
    gets,
    /** Waits until the account has been polled `n` more times. */
    async morePolls(n: number, what: string): Promise<void> {
      const target = gets().length + n;
      await waitFor(() => gets().length >= target, what, 30_000);
    },
    /** `signals` pollNow over about `spanMs`, each to a seeded link of the account; returns the polls meanwhile and the seconds it took. */
    async storm(signals: number, spanMs: number): Promise<{ polls: number; seconds: number }> {
      const before = gets().length;
      const startedAt = Date.now();
      for (let i = 0; i < signals; i++) {
        await h.links.pollNow(oa, mps[Math.floor(random() * mps.length)] ?? '');
        await sleep(spanMs / signals);
      }
      return { polls: gets().length - before, seconds: (Date.now() - startedAt) / 1_000 };
    },
    /** The admins decide (seeded); returns the links that did not end as they decided. */
    async decide(): Promise<string[]> {
      const decisions = mps.map((mp) => ({ mp, refuse: random() < 0.4 }));
      for (const { mp, refuse } of decisions) {
        h.simulator.act(oa, mp, 'confirm-account');
        h.simulator.act(oa, mp, refuse ? 'refuse' : 'confirm-mini-program');
      }
      const outcomes = await Promise.all(mps.map(async (mp) => ((await h.links.result(oa, mp)) as { outcome: string }).outcome));
      return decisions.flatMap(({ mp, refuse }, i) => (outcomes[i] === (refuse ? 'rejected' : 'linked') ? [] : [`${mp}: ${outcomes[i] ?? '-'}`]));
    },
    duplicateSends(): number {
      return mps.reduce((sum, mp) => sum + Math.max(0, h.simulator.countCalls({ endpoint: 'wxamplink', miniProgramAppId: mp }) - 1), 0);
    },
  };
}

describe('pace abuse', () => {
  it('50 ms starters, a pollNow storm and a 1 ms hand-made join poll the account no more often than the floor; every link ends right', async () => {
    const started = Date.now();
    const account = await greedyAccount(scenarioRandom('pace-abuse'));
    const { oa, mps, gets } = account;
    const clamped = (await Promise.all(mps.map(async (mp) => (await h.links.getState(oa, mp)).effectivePolling?.clamped === true))).every(Boolean);
    await account.morePolls(3, "three polls at the greedy starters' pace");

    const storm = await account.storm(STORM_SIGNALS, STORM_MS);

    const watcher = h.client.workflow.getHandle(watchWorkflowId(oa));
    await watcher.signal('wxampJoinAccountWatch', { workflowId: `${oa}-intruder`, pollIntervalMs: 1, maxPollIntervalMs: 1, maxHistoryEvents: 100 });
    await account.morePolls(4, 'four polls after the hand-made join');
    const watchState = await watcher.query(getAccountWatchState);

    const wrong = await account.decide();
    const calls = gets();
    const gap = minGapMs(calls);
    reportRow({
      scenario: '11 pace abuse',
      runs: LINKS,
      correct: LINKS - wrong.length,
      duplicateSends: account.duplicateSends(),
      apiCalls: h.simulator.countCalls({ accountAppId: oa }),
      seconds: secondsSince(started),
      note: `floor ${FLOOR_MS} ms, 50 ms asked: min gap between polls ${gap} ms; ${storm.polls} polls during ${STORM_SIGNALS} pollNow in ${storm.seconds.toFixed(1)} s; ${calls.length} polls in all`,
    });
    expect(wrong).toEqual([]);
    expect(clamped).toBe(true);
    expect(gap).toBeGreaterThanOrEqual(SLACK * FLOOR_MS);
    expect(storm.polls).toBeLessThanOrEqual(Math.ceil((storm.seconds * 1_000) / FLOOR_MS) + 1);
    expect(watchState.delayMs === null || watchState.delayMs >= FLOOR_MS).toBe(true);
  });

  it('a pollNow storm while the account fails (-1, then 45011) polls it no more often than the floor; every link ends right', async () => {
    const started = Date.now();
    const account = await greedyAccount(scenarioRandom('pace-abuse-failing'));
    const { oa, gets } = account;
    await account.morePolls(2, 'two polls');

    // System busy, then a rate limit: the failing answers, and the storm while they come.
    const failing = 8;
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: -1, times: failing / 2 });
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 45011, times: failing / 2 });
    const failed = (): CallRecord[] => gets().filter((call) => call.faulted);
    await waitFor(() => failed().length >= 1, 'the first failing answer', 30_000);
    const storm = await account.storm(STORM_SIGNALS, STORM_MS);
    await waitFor(() => failed().length >= failing, 'every failing answer read', 60_000);
    await account.morePolls(1, 'a good answer after the failures');

    const wrong = await account.decide();
    const calls = gets();
    const gap = minGapMs(calls);
    // The polls from the first failing answer to the first good one after the failures.
    const firstFailed = calls.findIndex((call) => call.faulted);
    const lastFailed = calls.length - 1 - [...calls].reverse().findIndex((call) => call.faulted);
    const failingStretch = calls.slice(firstFailed, lastFailed + 2);
    const failingGap = minGapMs(failingStretch);
    const failingSeconds = (Date.parse(failingStretch.at(-1)?.at ?? '') - Date.parse(failingStretch[0]?.at ?? '')) / 1_000;
    reportRow({
      scenario: '11b pace abuse while the account fails',
      runs: LINKS,
      correct: LINKS - wrong.length,
      duplicateSends: account.duplicateSends(),
      apiCalls: h.simulator.countCalls({ accountAppId: oa }),
      seconds: secondsSince(started),
      note: `floor ${FLOOR_MS} ms: min gap between polls ${gap} ms; ${failingStretch.length} polls in ${failingSeconds.toFixed(1)} s of failures (-1 ×${failing / 2}, 45011 ×${failing / 2}) under ${STORM_SIGNALS} pollNow in ${storm.seconds.toFixed(1)} s, min gap ${failingGap} ms`,
    });
    expect(wrong).toEqual([]);
    expect(gap).toBeGreaterThanOrEqual(SLACK * FLOOR_MS);
  });
});
