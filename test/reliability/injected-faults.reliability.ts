/**
 * Scenario 3, injected faults: the simulator fails 30 % of the WeChat calls at random (seeded):
 * -1, HTTP 502, garbage, an answer slower than the worker's HTTP time-out (which takes effect,
 * so its answer is lost), a reset connection, 45011. 200 links, served by a real worker process,
 * all end as their scenario dictates: none stuck, none refused for a transient fault, no pair
 * invited twice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from '@temporalio/client';
import type { WxampLinkClient } from '../../client';
import { ChaosKind, startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { checkEndings, endingOf, planPairs } from './helpers/pair-scenarios';
import { reportRow } from './helpers/report';
import { connectLinks, newTaskQueue, scenarioRandom, scenarioSeed, secondsSince, temporalAddress } from './helpers/suite';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

const FAULT_RATE = 0.3;
const HTTP_TIMEOUT_MS = 1_000;

let sim: WeChatSimulator;
let connection: Connection;
let links: WxampLinkClient;
let worker: WorkerProcess | undefined;
const taskQueue = newTaskQueue('faults');

beforeAll(async () => {
  sim = await startWeChatSimulator();
  ({ connection, links } = await connectLinks(taskQueue));
});
afterAll(async () => {
  await worker?.kill9();
  await connection?.close();
  await sim?.close();
});

describe('injected faults', () => {
  it('with 30 % of calls failing at random, 200 links all end as their scenario dictates', async () => {
    const started = Date.now();
    const { pairs, tokens } = planPairs(sim, { approve: 70, refuse: 40, expire: 30, pre_invited: 30, banned: 30 }, scenarioRandom('injected-faults'));
    sim.setChaos({ seed: scenarioSeed('injected-faults'), rate: FAULT_RATE, slowMs: HTTP_TIMEOUT_MS + 500 });
    worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporalAddress(),
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: sim.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
      WECHAT_HTTP_TIMEOUT: `${HTTP_TIMEOUT_MS}ms`,
    });
    await worker.ready();

    // 45011 backs off 4× pollInterval (capped by maxPollInterval): 200 ms polls keep it to a second.
    const waiting = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '4m' } as const;
    const handles = await Promise.all(pairs.map((p) => links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...waiting })));
    const results = await Promise.all(handles.map((handle) => endingOf(handle.result())));
    const chaos = sim.chaosStatus();
    sim.setChaos(null);

    const { correct, problems, duplicates } = checkEndings(sim, pairs, results);
    const byKind = Object.entries(chaos.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    reportRow({
      scenario: '3 injected faults (30 %)',
      runs: pairs.length,
      correct,
      duplicateSends: duplicates,
      apiCalls: sim.countCalls(),
      seconds: secondsSince(started),
      note: `${chaos.struck}/${chaos.seen} calls failed: ${byKind}`,
    });
    expect(problems).toEqual([]);
    expect(duplicates).toBe(0);
    const rate = chaos.struck / chaos.seen;
    expect(rate).toBeGreaterThan(FAULT_RATE - 0.05);
    expect(rate).toBeLessThan(FAULT_RATE + 0.05);
    for (const kind of Object.values(ChaosKind)) expect(chaos.byKind[kind]).toBeGreaterThan(0);
    expect(worker.alive()).toBe(true);
  });
});
