/**
 * Scenario 10, lost send answers: every pair's `wxamplink` reaches WeChat (the invitation goes
 * out) but its answer is lost: an HTTP 502 or 503, a garbled body, HTML, no answer within the
 * worker's HTTP time-out, or a worker killed with SIGKILL while the call hangs. The link looks at
 * `wxamplinkget` before sending again, finds its entry, and never resends; admins who confirmed
 * or refused before that look decide the outcome (`linked`, never `already_linked`; `rejected`,
 * never a second invitation).
 *
 * Duplicate sends here: the `wxamplink` calls of a pair beyond its first, whatever their answer.
 * Every pair's first call took effect, so any further call is a second invitation (WeChat would
 * answer it 0, or 89010 while the first is pending, or send a fresh one after a refusal).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from '@temporalio/client';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type FaultSpec, type WeChatSimulator } from '../../simulator';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { waitFor } from '../helpers/wait';
import { reportRow } from './helpers/report';
import { connectLinks, newTaskQueue, scenarioRandom, secondsSince, temporalAddress } from './helpers/suite';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

const HTTP_TIMEOUT_MS = 1_000;
const PAIRS = 20;
const LOST_ANSWERS: ReadonlyArray<{ name: string; fault: FaultSpec }> = [
  { name: '502', fault: { httpStatus: 502 } },
  { name: '503', fault: { httpStatus: 503 } },
  { name: 'garbled', fault: { rawBody: '{"errcode":0,"errm' } },
  { name: 'HTML', fault: { rawBody: '<html><body>系统繁忙</body></html>' } },
  { name: 'time-out', fault: { delayMs: HTTP_TIMEOUT_MS + 500 } },
];
/** What the admins do: confirm at the first polls (scripted), or confirm or refuse before the link's look. */
const Admins = { Scripted: 'scripted', ConfirmFirst: 'confirm-first', RefuseFirst: 'refuse-first' } as const;
type Admins = (typeof Admins)[keyof typeof Admins];
const EXPECTED: Record<Admins, string> = { scripted: 'linked', 'confirm-first': 'linked', 'refuse-first': 'rejected' };
/** Scripted admins act at the first polls; the others need the look a back-off (1 s) after the lost answer. */
const FAST_WAIT = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '3m' } as const;
const SLOW_WAIT = { pollInterval: '1s', maxPollInterval: '2s', timeout: '3m' } as const;

interface Pair {
  oa: string;
  mp: string;
  lost: string;
  admins: Admins;
}

/** Acts for admins who do not wait for polls: as soon as the invitation is listed, before the link looks. */
async function actFirst(sim: WeChatSimulator, pair: Pair): Promise<void> {
  if (pair.admins === Admins.Scripted) return;
  await waitFor(() => sim.entries(pair.oa).some((item) => item.appid === pair.mp), `the invitation of ${pair.mp} listed`, 60_000);
  sim.act(pair.oa, pair.mp, 'confirm-account');
  sim.act(pair.oa, pair.mp, pair.admins === Admins.ConfirmFirst ? 'confirm-mini-program' : 'refuse');
}

/** Per pair, its wxamplink calls; the sum of those beyond the first; and the problems found. */
function check(sim: WeChatSimulator, pairs: readonly Pair[], outcomes: readonly string[]): { problems: string[]; duplicates: number; sends: number[] } {
  const sends = pairs.map((p) => sim.countCalls({ endpoint: 'wxamplink', miniProgramAppId: p.mp }));
  const problems = pairs.flatMap((p, i) => {
    const wrong: string[] = [];
    if (outcomes[i] !== EXPECTED[p.admins]) wrong.push(`outcome ${outcomes[i] ?? '-'} (expected ${EXPECTED[p.admins]})`);
    if (sends[i] !== 1) wrong.push(`${sends[i] ?? 0} wxamplink calls`);
    return wrong.length > 0 ? [`${p.lost}/${p.admins} ${p.oa}/${p.mp}: ${wrong.join('; ')}`] : [];
  });
  return { problems, duplicates: sends.reduce((sum, n) => sum + Math.max(0, n - 1), 0), sends };
}

async function outcomeOf(result: Promise<{ outcome: string }>): Promise<string> {
  try {
    return (await result).outcome;
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const countBy = (values: readonly string[]): string =>
  Object.entries(values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {}))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

describe('lost send answers', () => {
  describe('lost on the way back (in-process worker, 1 s HTTP time-out)', () => {
    let h: LinkHarness;
    beforeAll(async () => {
      h = await startLinkHarness({ httpTimeoutMs: HTTP_TIMEOUT_MS });
    });
    afterAll(async () => {
      await h?.close();
    });

    it(`${PAIRS} pairs whose wxamplink answer is lost: right outcomes, no second send`, async () => {
      const started = Date.now();
      const random = scenarioRandom('lost-send');
      const kinds: Admins[] = [Admins.Scripted, Admins.ConfirmFirst, Admins.RefuseFirst];
      // Every way of losing the answer meets every kind of admins (a seeded rotation of which comes first).
      const rotation = Math.floor(random() * kinds.length);
      const pairs: Pair[] = Array.from({ length: PAIRS }, (_, i) => {
        const lost = LOST_ANSWERS[i % LOST_ANSWERS.length] ?? LOST_ANSWERS[0];
        const admins = kinds[(rotation + Math.floor(i / LOST_ANSWERS.length)) % kinds.length] ?? Admins.Scripted;
        const pair: Pair = { oa: h.newAccount(), mp: h.newMiniProgram(), lost: lost?.name ?? '?', admins };
        h.simulator.injectFault({ accountAppId: pair.oa, endpoint: 'wxamplink', afterApplying: true, ...lost?.fault });
        if (admins === Admins.Scripted) h.simulator.scriptLink(pair.oa, pair.mp, AUTO_CONFIRM_SCRIPT);
        return pair;
      });
      const outcomes = await Promise.all(
        pairs.map(async (p) => {
          const handle = await h.links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...(p.admins === Admins.Scripted ? FAST_WAIT : SLOW_WAIT) });
          const [outcome] = await Promise.all([outcomeOf(handle.result()), actFirst(h.simulator, p)]);
          return outcome;
        }),
      );
      const { problems, duplicates } = check(h.simulator, pairs, outcomes);
      const lostSeen = pairs.filter((p) => h.simulator.calls({ endpoint: 'wxamplink', miniProgramAppId: p.mp })[0]?.faulted === true).length;
      reportRow({
        scenario: '10 lost send answers',
        runs: pairs.length,
        correct: pairs.length - problems.length,
        duplicateSends: duplicates,
        apiCalls: pairs.reduce((sum, p) => sum + h.simulator.countCalls({ accountAppId: p.oa }), 0),
        seconds: secondsSince(started),
        note: `${lostSeen} answers lost (${countBy(pairs.map((p) => p.lost))}); admins ${countBy(pairs.map((p) => p.admins))}; duplicate = wxamplink calls of a pair beyond its first`,
      });
      expect(problems).toEqual([]);
      expect(duplicates).toBe(0);
      expect(lostSeen).toBe(PAIRS);
    });
  });

  describe('a worker killed mid-send', () => {
    const KILLED_PAIRS = 6;
    /** Longer than the kill takes, shorter than the new worker's wait for the lost activity (its 30 s time-out). */
    const HANG_MS = 15_000;
    let sim: WeChatSimulator;
    let connection: Connection;
    const workers: WorkerProcess[] = [];
    const taskQueue = newTaskQueue('lost-send-kill');
    beforeAll(async () => {
      sim = await startWeChatSimulator();
    });
    afterAll(async () => {
      for (const worker of workers) await worker.kill9();
      await connection?.close();
      await sim?.close();
    });

    it(`${KILLED_PAIRS} sends that took effect while their worker was killed: looked at, never resent`, async () => {
      const started = Date.now();
      const tokens: Record<string, string> = {};
      const tag = randomBytes(6).toString('hex');
      const kinds: Admins[] = [Admins.Scripted, Admins.ConfirmFirst, Admins.RefuseFirst];
      const pairs: Pair[] = Array.from({ length: KILLED_PAIRS }, (_, i) => {
        const oa = `wxoa${tag}${i}`;
        tokens[oa] = sim.registerAccount({ appId: oa }).accessToken;
        const pair: Pair = { oa, mp: `wxmp${tag}${i}`, lost: 'kill -9', admins: kinds[i % kinds.length] ?? Admins.Scripted };
        // The invitation goes out at once; its answer hangs until long after the kill.
        sim.injectFault({ accountAppId: oa, endpoint: 'wxamplink', afterApplying: true, delayMs: HANG_MS });
        if (pair.admins === Admins.Scripted) sim.scriptLink(oa, pair.mp, AUTO_CONFIRM_SCRIPT);
        return pair;
      });
      const env = {
        TEMPORAL_ADDRESS: temporalAddress(),
        WXAMP_TASK_QUEUE: taskQueue,
        WECHAT_API_BASE_URL: sim.baseUrl,
        WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
        WECHAT_HTTP_TIMEOUT: '60s',
      };
      const first = await startWorkerProcess(env);
      workers.push(first);
      await first.ready();
      const client = await connectLinks(taskQueue);
      connection = client.connection;
      const handles = await Promise.all(pairs.map((p) => client.links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...FAST_WAIT })));
      const outcomes = Promise.all(handles.map((handle) => outcomeOf(handle.result())));

      // Every invitation is out and its answer hangs: kill the worker, let the admins act, start another.
      await waitFor(() => pairs.every((p) => sim.entries(p.oa).length === 1), 'every invitation listed', 60_000);
      const hanging = sim.calls({ endpoint: 'wxamplink' }).filter((call) => call.httpStatus === null).length;
      await first.kill9();
      for (const pair of pairs) await actFirst(sim, pair);
      const second = await startWorkerProcess(env);
      workers.push(second);
      await second.ready();

      const ended = await outcomes;
      const { problems, duplicates } = check(sim, pairs, ended);
      reportRow({
        scenario: '10b lost send answers: kill -9 mid-send',
        runs: pairs.length,
        correct: pairs.length - problems.length,
        duplicateSends: duplicates,
        apiCalls: sim.countCalls(),
        seconds: secondsSince(started),
        note: `killed with ${hanging} wxamplink calls hanging (taken effect); admins ${countBy(pairs.map((p) => p.admins))}; duplicate = wxamplink calls of a pair beyond its first`,
      });
      expect(problems).toEqual([]);
      expect(duplicates).toBe(0);
      expect(hanging).toBe(KILLED_PAIRS);
      expect(second.alive()).toBe(true);
    });
  });
});
