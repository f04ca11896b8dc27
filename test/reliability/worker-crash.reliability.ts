/**
 * Scenario 1, worker crash: 100 links of mixed scenarios, served by a real worker process that is
 * killed with SIGKILL twice at seeded moments (the first while sends wait for WeChat's answers)
 * and started again. Every workflow reaches its scenario's outcome, and WeChat accepts at most one
 * invitation per pair: a send whose answer was lost is followed by a look at `wxamplinkget`, which
 * shows the invitation out, and is never sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, Connection } from '@temporalio/client';
import type { WxampLinkClient } from '../../client';
import { ChaosKind, startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep, waitFor } from '../helpers/wait';
import { checkEndings, endingOf, planPairs, type PlannedPair } from './helpers/pair-scenarios';
import { reportRow } from './helpers/report';
import { connectLinks, newTaskQueue, scenarioRandom, scenarioSeed, secondsSince, temporalAddress } from './helpers/suite';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

const SEND_LATENCY_MS = 2_500;
const WAITING = { pollInterval: '250ms', maxPollInterval: '1s', timeout: '4m' } as const;

let sim: WeChatSimulator;
let connection: Connection;
let links: WxampLinkClient;
let client: Client;
const workers: WorkerProcess[] = [];
const taskQueue = newTaskQueue('crash');
/** The pair of the second test, whose account the worker knows from the start. */
let lostAnswerPair: PlannedPair;
let lostAnswerTokens: Record<string, string>;

beforeAll(async () => {
  sim = await startWeChatSimulator();
  ({ connection, client, links } = await connectLinks(taskQueue));
  const planned = planPairs(sim, { approve: 1 }, scenarioRandom('lost-answer'));
  if (!planned.pairs[0]) throw new Error('no pair planned');
  lostAnswerPair = planned.pairs[0];
  lostAnswerTokens = planned.tokens;
});
afterAll(async () => {
  for (const worker of workers) await worker.kill9();
  await connection?.close();
  await sim?.close();
});

/** A worker on this file's task queue that knows the accounts of `tokens` (appid → token). */
async function startWorker(tokens: Record<string, string>): Promise<WorkerProcess> {
  const worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: temporalAddress(),
    WXAMP_TASK_QUEUE: taskQueue,
    WECHAT_API_BASE_URL: sim.baseUrl,
    WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
    WECHAT_HTTP_TIMEOUT: '3s',
  });
  workers.push(worker);
  await worker.ready();
  return worker;
}

/**
 * Pairs sent `wxamplink` again although their invitation was out: in these scenarios every send
 * that is not answered -1 or 502 (which WeChat did not carry out) takes effect, so a later 89010
 * can only answer a blind resend (a pre-invited pair's first send is answered 89010 by design).
 */
function resentBlindly(pairs: readonly PlannedPair[]): PlannedPair[] {
  return pairs.filter((pair) => {
    const codes = sim.calls({ endpoint: 'wxamplink', miniProgramAppId: pair.mp }).map((call) => call.errcode);
    return pair.scenario === 'pre_invited' ? codes.length > 1 : codes.includes(89010);
  });
}

describe('worker crash', () => {
  it('100 waiting links survive two kill -9 of the worker (one during sends): right outcomes, at most one accepted send per pair', async () => {
    const started = Date.now();
    const random = scenarioRandom('worker-crash');
    const { pairs, tokens } = planPairs(sim, { approve: 30, refuse: 20, expire: 15, pre_invited: 15, transient: 20 }, random);
    // The second test's account too: its worker may be this test's last.
    const allTokens = { ...tokens, ...lostAnswerTokens };
    // Every wxamplink takes effect at once and is answered 2.5 s later: sends are in flight when the first kill comes.
    sim.setChaos({ seed: scenarioSeed('worker-crash'), rate: 0, endpoints: ['wxamplink'], latencyMs: SEND_LATENCY_MS });
    let worker = await startWorker(allTokens);

    const handles = await Promise.all(pairs.map((p) => links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...WAITING })));
    const endings = Promise.all(handles.map((handle) => endingOf(handle.result())));

    // Kill 1: once a seeded number (3 to 8) of invitations WeChat accepted still wait for their answers.
    const killAtInFlight = 3 + Math.floor(random() * 6);
    const acceptedInFlight = (): number =>
      sim.calls({ endpoint: 'wxamplink' }).filter((call) => call.errcode === 0 && Date.now() - Date.parse(call.at) < SEND_LATENCY_MS - 100).length;
    let inFlight = 0;
    await waitFor(() => (inFlight = acceptedInFlight()) >= killAtInFlight, `${killAtInFlight} accepted sends in flight`, 60_000);
    const sentBeforeKill = sim.countCalls({ endpoint: 'wxamplink' });
    const cutOff = new Set(
      sim
        .calls({ endpoint: 'wxamplink' })
        .filter((call) => call.errcode === 0 && Date.now() - Date.parse(call.at) < SEND_LATENCY_MS - 100)
        .map((call) => call.miniProgramAppId),
    );
    await worker.kill9();
    worker = await startWorker(allTokens);

    // Kill 2: while links wait — once a seeded number of them (10 to 29) wait at the same time, plus a
    // seeded 0 to 2 s. (How many wait at once depends on timing: sends cut off by kill 1 wait 30 s for
    // their activity time-out while the others finish, so a larger number may never be reached.)
    const killAtWaiting = 10 + Math.floor(random() * 20);
    const secondKillDelay = Math.floor(random() * 2_000);
    const waitingNow = async (): Promise<number> => (await client.workflow.count(`TaskQueue = "${taskQueue}" AND WxLinkStatus = "waiting"`)).count;
    for (const until = Date.now() + 120_000; (await waitingNow()) < killAtWaiting; await sleep(250)) {
      if (Date.now() > until) throw new Error(`fewer than ${killAtWaiting} links waiting after 2 minutes`);
    }
    await sleep(secondKillDelay);
    const waitingAtKill2 = await waitingNow();
    await worker.kill9();
    sim.setChaos(null);
    worker = await startWorker(allTokens);

    const results = await endings;
    const { correct, problems, duplicates } = checkEndings(sim, pairs, results);
    const blind = resentBlindly(pairs);
    // The pairs whose answer the kill cut off: each was looked at, and sent once.
    const lookedAt = pairs.filter((pair) => cutOff.has(pair.mp) && sim.countCalls({ endpoint: 'wxamplink', miniProgramAppId: pair.mp }) === 1);
    reportRow({
      scenario: '1 worker crash (2× kill -9)',
      runs: pairs.length,
      correct,
      duplicateSends: duplicates,
      apiCalls: sim.countCalls(),
      seconds: secondsSince(started),
      note: `kill 1 after ${sentBeforeKill} sends (${inFlight} accepted, answers in flight), kill 2 with ${waitingAtKill2} links waiting; ${cutOff.size} answers cut off, ${lookedAt.length} of them looked at and not resent; ${blind.length} blind resends`,
    });
    expect(problems).toEqual([]);
    expect(duplicates).toBe(0);
    // Every invitation whose answer the kill cut off was looked at, never sent again.
    expect(cutOff.size).toBeGreaterThanOrEqual(inFlight);
    expect(lookedAt.length).toBe(cutOff.size);
    expect(blind.map((pair) => `${pair.scenario} ${pair.mp}`)).toEqual([]);
    expect(waitingAtKill2).toBeGreaterThan(0);
    expect(worker.alive()).toBe(true);
  });

  it('a send that WeChat accepted but answered too late is not resent: the list shows it out, and the link goes on to linked', async () => {
    const started = Date.now();
    const pair = lostAnswerPair;
    // The last worker of the test above knows this account too and may serve it; run alone (or
    // after that worker died), this test starts its own.
    if (!workers.at(-1)?.alive()) await startWorker(lostAnswerTokens);
    sim.setChaos({ seed: 1, rate: 1, kinds: [ChaosKind.Slow], endpoints: ['wxamplink'], accountAppIds: [pair.oa], slowMs: 4_000, limit: 1 });

    const handle = await links.link({ officialAccountAppId: pair.oa, miniProgramAppId: pair.mp, ...WAITING });
    const result = await handle.result();
    const sends = sim.calls({ endpoint: 'wxamplink', miniProgramAppId: pair.mp }).map((call) => call.errcode);
    sim.setChaos(null);
    reportRow({
      scenario: '1b lost send answer → looked at, not resent',
      runs: 1,
      correct: result.outcome === 'linked' && sends.join() === '0' ? 1 : 0,
      duplicateSends: sends.length - 1,
      apiCalls: sim.countCalls({ accountAppId: pair.oa }),
      seconds: secondsSince(started),
      note: `wxamplink answers: ${sends.join(', ')}`,
    });
    expect(sends).toEqual([0]);
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
  });
});
