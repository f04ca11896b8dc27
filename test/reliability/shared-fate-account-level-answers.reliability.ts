/**
 * Scenario 9, account-level odd errcodes: `wxamplinkget` is a call about the whole account, so
 * one odd answer to it must not decide for every link waiting on the account. Accounts that
 * answer a couple of odd codes (1005, 50002, HTTP 403, 89407) and recover: every link ends as its
 * admins decide. An account whose odd code persists: its links end `refused` with that errcode,
 * only after the operator's streak (test policy: 3 answers in a row spanning 1 s). An account
 * answering 61007 (API not authorized, definitive for the account): refused at the first answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallRecord, FaultSpec } from '../../simulator';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { TEST_POLICY } from '../helpers/test-policy';
import { sleep, waitFor } from '../helpers/wait';
import { streaks } from './helpers/call-pace';
import { reportRow } from './helpers/report';
import { scenarioRandom, secondsSince } from './helpers/suite';

const LINKS_PER_ACCOUNT = 3;
const WAITING = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '2m' } as const;
const RECOVERING: ReadonlyArray<{ name: string; fault: FaultSpec }> = [
  { name: '1005', fault: { errcode: 1005, errmsg: 'undocumented' } },
  { name: '50002', fault: { errcode: 50002, errmsg: 'user limited' } },
  { name: 'HTTP 403', fault: { httpStatus: 403 } },
  { name: '89407', fault: { errcode: 89407, errmsg: 'undocumented' } },
];
const PERSISTENT = { errcode: 89407, errmsg: 'undocumented' } as const;
const DEFINITIVE = 61007;
/** The simulator stamps a call when it arrives, the workflow its answer when it is read: a few ms apart. */
const CLOCK_SLACK_MS = 50;

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h?.close();
});

interface Ended {
  oa: string;
  mp: string;
  expected: string;
  outcome: string;
  errcode: number | null;
  closedAtMs: number;
}

/** Starts `count` links on a fresh account and waits until each waits at status 12. */
async function waitingAccount(count: number): Promise<{ oa: string; mps: string[] }> {
  const oa = h.newAccount();
  const mps = Array.from({ length: count }, () => h.newMiniProgram());
  await Promise.all(mps.map((mp) => h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...WAITING })));
  for (const mp of mps) await waitFor(async () => (await h.links.getState(oa, mp)).status === 12, `${mp} waiting at 12`, 30_000);
  return { oa, mps };
}

/** How a link ended, and when (the server's close time). */
async function ending(oa: string, mp: string, expected: string): Promise<Ended> {
  const handle = h.links.getHandle(oa, mp);
  try {
    const result = (await handle.result()) as { outcome: string; errcode?: number };
    const closedAtMs = (await handle.describe()).closeTime?.getTime() ?? Date.now();
    return { oa, mp, expected, outcome: result.outcome, errcode: result.errcode ?? null, closedAtMs };
  } catch (error) {
    return { oa, mp, expected, outcome: `failed: ${error instanceof Error ? error.message : String(error)}`, errcode: null, closedAtMs: Date.now() };
  }
}

const oddCalls = (oa: string): CallRecord[] => h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).filter((call) => call.faulted);

/** Two bursts of 1 or 2 odd answers (never the streak), with a good answer between them. */
async function oddBursts(oa: string, fault: FaultSpec, random: () => number): Promise<void> {
  let injected = 0;
  for (let burst = 0; burst < 2; burst++) {
    if (burst > 0) {
      const lastOdd = oddCalls(oa).at(-1)?.seq ?? 0;
      await waitFor(
        () => h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }).some((c) => c.seq > lastOdd && !c.faulted),
        `a good answer of ${oa} after the first burst`,
        30_000,
      );
    }
    const times = 1 + Math.floor(random() * 2);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', ...fault, times });
    injected += times;
    await waitFor(() => oddCalls(oa).length === injected, `${injected} odd answers of ${oa}`, 30_000);
  }
}

describe('account-level odd errcodes', () => {
  it('odd answers that pass end no link; a persistent one ends its account only after the streak; 61007 at once', async () => {
    const started = Date.now();
    const random = scenarioRandom('account-level-odd');
    const streakNotes: string[] = [];
    const endings: Ended[] = [];

    // Recovering accounts: one admin decides during the first burst, the others once the bursts have passed.
    const recovering = await Promise.all(RECOVERING.map(async (odd) => ({ ...odd, ...(await waitingAccount(LINKS_PER_ACCOUNT)) })));
    const decisions = new Map<string, string>();
    await Promise.all(
      recovering.map(async ({ oa, mps, fault }) => {
        const plan = mps.map((mp) => ({ mp, refuse: random() < 0.3, pause: Math.floor(random() * 1_500) }));
        for (const { mp, refuse } of plan) decisions.set(mp, refuse ? 'rejected' : 'linked');
        const act = async ({ mp, refuse, pause }: (typeof plan)[number]): Promise<void> => {
          await sleep(pause);
          h.simulator.act(oa, mp, 'confirm-account');
          h.simulator.act(oa, mp, refuse ? 'refuse' : 'confirm-mini-program');
        };
        const [early, ...late] = plan;
        const bursts = oddBursts(oa, fault, random);
        if (early) await act(early);
        await bursts;
        await Promise.all(late.map(act));
      }),
    );
    for (const { oa, mps } of recovering) for (const mp of mps) endings.push(await ending(oa, mp, decisions.get(mp) ?? '?'));
    for (const { name, oa } of recovering) {
      const runs = streaks(h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: oa }), (c) => c.faulted).map((s) => s.length);
      streakNotes.push(`${name} ${runs.join('+')}`);
    }

    // Persistent: 89407 from now on.
    const persistent = await waitingAccount(LINKS_PER_ACCOUNT);
    h.simulator.injectFault({ accountAppId: persistent.oa, endpoint: 'wxamplinkget', ...PERSISTENT, times: 1_000 });
    const persistentEndings = await Promise.all(persistent.mps.map((mp) => ending(persistent.oa, mp, 'refused')));
    endings.push(...persistentEndings);
    const firstClose = Math.min(...persistentEndings.map((e) => e.closedAtMs));
    const beforeVerdict = oddCalls(persistent.oa).filter((call) => Date.parse(call.at) <= firstClose);
    const verdictStreak = streaks(beforeVerdict, () => true)[0] ?? { length: 0, spanMs: 0 };
    streakNotes.push(`persistent 89407 ${verdictStreak.length} over ${verdictStreak.spanMs} ms before the verdict`);

    // Definitive for the account: 61007.
    const definitive = await waitingAccount(2);
    const callsBefore = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: definitive.oa });
    h.simulator.injectFault({ accountAppId: definitive.oa, endpoint: 'wxamplinkget', errcode: DEFINITIVE, times: 1_000 });
    endings.push(...(await Promise.all(definitive.mps.map((mp) => ending(definitive.oa, mp, 'refused')))));
    const definitiveCalls = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: definitive.oa }) - callsBefore;
    streakNotes.push(`61007 ${definitiveCalls}`);
    h.simulator.clearFaults();

    const expectedErrcode = (e: Ended): number | null => (e.oa === persistent.oa ? PERSISTENT.errcode : e.oa === definitive.oa ? DEFINITIVE : null);
    const wrong = endings.filter((e) => e.outcome !== e.expected || (e.expected === 'refused' && e.errcode !== expectedErrcode(e)));
    const accounts = [...recovering.map((r) => r.oa), persistent.oa, definitive.oa];
    reportRow({
      scenario: '9 account-level odd errcodes',
      runs: endings.length,
      correct: endings.length - wrong.length,
      duplicateSends: 0,
      apiCalls: accounts.reduce((sum, oa) => sum + h.simulator.countCalls({ accountAppId: oa }), 0),
      seconds: secondsSince(started),
      note: `odd answers in a row: ${streakNotes.join(', ')}`,
    });
    expect(wrong.map((e) => `${e.oa}/${e.mp}: ${e.outcome} errcode ${e.errcode ?? '-'} (expected ${e.expected})`)).toEqual([]);
    // The verdict came only after the operator's streak: enough answers, spanning enough time.
    expect(verdictStreak.length).toBeGreaterThanOrEqual(TEST_POLICY.accountRefusal.answers);
    expect(verdictStreak.spanMs).toBeGreaterThanOrEqual(TEST_POLICY.accountRefusal.spanMs - CLOCK_SLACK_MS);
    expect(definitiveCalls).toBe(1);
  });
});
