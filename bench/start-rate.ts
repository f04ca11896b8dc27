/**
 * Start rate: how fast links get going compared with a workflow that does nothing (the ceiling)
 * and with the naive baseline (a workflow that sends `wxamplink` and sleeps). Each kind is started
 * N times (the same concurrency of starts) on its own task queue with its own in-process worker;
 * the clock runs from the first start until visibility counts all N as `WxLinkStatus =
 * 'waiting'`: for a link or a naive one, its invitation is out and it waits; for the no-op, its
 * first workflow task ran (see noop-workflow.ts). Rate = N / that time.
 */
import { WxampLinkClient } from '../client';
import { LinkPhase } from '../workflows/contract';
import { mapConcurrent } from './concurrency';
import type { naiveLinkMiniProgram } from './naive-workflows';
import type { benchNoop } from './noop-workflow';
import type { BenchParams } from './params';
import { planPopulation, registerPopulation } from './population';
import type { Log } from './progress';
import type { BenchStack } from './stack';
import { statusQuery, waitForCount } from './visibility';
import { createBenchWorker, createOursWorker, phaseTaskQueue, type BenchBundle } from './workers';

/** One kind's start figures. */
export interface StartFigures {
  workflows: number;
  /** How many reached `waiting` in time. */
  reached: number;
  seconds: number;
  perSecond: number;
}

/** Every kind's start figures. */
export interface StartRateResult {
  noop: StartFigures;
  naive: StartFigures;
  links: StartFigures;
}

/** Measures the no-op, then the links (one at a time, so neither steals the other's CPU). */
export async function runStartRate(stack: BenchStack, params: BenchParams, bundle: BenchBundle, log: Log): Promise<StartRateResult> {
  const { startRate } = params;
  const noop = await measureNoop(stack, params, bundle, log);
  log(`  no-op: ${noop.reached}/${noop.workflows} running in ${noop.seconds.toFixed(1)}s → ${noop.perSecond.toFixed(1)}/s`);
  const naive = await measureNaive(stack, params, bundle, log);
  log(`  naive: ${naive.reached}/${naive.workflows} waiting in ${naive.seconds.toFixed(1)}s → ${naive.perSecond.toFixed(1)}/s`);

  const population = startPopulation(stack, params, 'bnstart');
  const taskQueue = phaseTaskQueue('start-links');
  const worker = await createOursWorker(stack, taskQueue, population.tokens);
  const client = new WxampLinkClient({ client: stack.client, taskQueue });
  const links = await worker.runUntil(() =>
    measure(stack, taskQueue, startRate.workflows, startRate.timeoutMs, 'links', log, () =>
      mapConcurrent(population.links, startRate.concurrency, (link) =>
        client.link({
          officialAccountAppId: link.officialAccountAppId,
          miniProgramAppId: link.miniProgramAppId,
          pollInterval: params.pollIntervalMs,
          maxPollInterval: params.maxPollIntervalMs,
        }),
      ),
    ),
  );
  log(`  links: ${links.reached}/${links.workflows} waiting in ${links.seconds.toFixed(1)}s → ${links.perSecond.toFixed(1)}/s`);
  await terminateLeftovers(stack, [taskQueue], log);
  return { noop, naive, links };
}

/** The naive baseline's starts: send `wxamplink`, mark waiting, sleep (it never polls within the phase). */
async function measureNaive(stack: BenchStack, params: BenchParams, bundle: BenchBundle, log: Log): Promise<StartFigures> {
  const { startRate } = params;
  const population = startPopulation(stack, params, 'bnstartnv');
  const taskQueue = phaseTaskQueue('start-naive');
  const worker = await createBenchWorker(stack, taskQueue, bundle, population.tokens);
  const figures = await worker.runUntil(() =>
    measure(stack, taskQueue, startRate.workflows, startRate.timeoutMs, 'naive', log, () =>
      mapConcurrent(population.links, startRate.concurrency, (link) =>
        stack.client.workflow.start<typeof naiveLinkMiniProgram>('naiveLinkMiniProgram', {
          taskQueue,
          workflowId: `bench-naive/${link.officialAccountAppId}/${link.miniProgramAppId}`,
          // An hour's sleep: the phase measures starts, not polls (ours' first polls, through its
          // watchers, do fall within the phase: they are part of what a link costs).
          args: [{ officialAccountAppId: link.officialAccountAppId, miniProgramAppId: link.miniProgramAppId, pollIntervalMs: 3_600_000, markWaiting: true }],
        }),
      ),
    ),
  );
  await terminateLeftovers(stack, [taskQueue], log);
  return figures;
}

async function measureNoop(stack: BenchStack, params: BenchParams, bundle: BenchBundle, log: Log): Promise<StartFigures> {
  const { startRate } = params;
  const taskQueue = phaseTaskQueue('start-noop');
  const worker = await createBenchWorker(stack, taskQueue, bundle, new Map());
  const ids = Array.from({ length: startRate.workflows }, (_, i) => `bench-noop/${taskQueue}/${i}`);
  const figures = await worker.runUntil(() =>
    measure(stack, taskQueue, startRate.workflows, startRate.timeoutMs, 'no-op', log, () =>
      mapConcurrent(ids, startRate.concurrency, (workflowId) =>
        stack.client.workflow.start<typeof benchNoop>('benchNoop', { taskQueue, workflowId, args: [] }),
      ),
    ),
  );
  await terminateLeftovers(stack, [taskQueue], log);
  return figures;
}

/** Starts everything with `startAll` and times it until all count as waiting. */
async function measure(
  stack: BenchStack,
  taskQueue: string,
  workflows: number,
  timeoutMs: number,
  what: string,
  log: Log,
  startAll: () => Promise<unknown>,
): Promise<StartFigures> {
  const startedAtMs = Date.now();
  let lastLogMs = startedAtMs;
  let startsDoneMs = 0;
  const starting = startAll().then(() => (startsDoneMs = Date.now()));
  // A start that fails (a bad input, Temporal gone) must end the wait now, not at its time-out.
  let startError: Error | undefined;
  starting.catch((error: unknown) => (startError = error instanceof Error ? error : new Error(String(error))));
  const reached = await waitForCount(stack.client, statusQuery(taskQueue, LinkPhase.Waiting), workflows, {
    timeoutMs,
    onCount: (count) => {
      if (startError !== undefined) throw startError;
      if (Date.now() - lastLogMs < 5_000) return;
      lastLogMs = Date.now();
      log(`  ${what}: ${count}/${workflows} waiting`);
    },
  });
  await starting;
  const startsSeconds = (startsDoneMs - startedAtMs) / 1_000;
  log(`  ${what}: the ${workflows} start calls took ${startsSeconds.toFixed(1)}s (client side)`);
  const seconds = (reached.atMs - startedAtMs) / 1_000;
  return { workflows, reached: reached.count, seconds, perSecond: reached.count / seconds };
}

/**
 * Ends what a phase left running on an external server (a dev server of our own dies with the
 * run). Stopping the worker already stops the load: nothing runs their tasks any more.
 */
export async function terminateLeftovers(stack: BenchStack, taskQueues: readonly string[], log: Log): Promise<void> {
  if (stack.ownServer) return;
  for (const taskQueue of taskQueues) {
    const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
    const { count } = await stack.client.workflow.count(query);
    if (count === 0) continue;
    await stack.client.workflowService.startBatchOperation({
      namespace: stack.namespace,
      jobId: `bench-cleanup-${taskQueue}`,
      visibilityQuery: query,
      reason: 'wxamp-link bench: phase over',
      terminationOperation: {},
    });
    log(`  terminating ${count} workflows left on ${taskQueue} (batch job bench-cleanup-${taskQueue})`);
  }
}

/** The links of one start-rate measurement, registered in the simulator (`prefix` keeps phases apart). */
function startPopulation(stack: BenchStack, params: BenchParams, prefix: string): ReturnType<typeof planPopulation> {
  const { startRate } = params;
  const population = planPopulation(
    prefix,
    { accounts: Math.ceil(startRate.workflows / startRate.linksPerAccount), linksPerAccount: startRate.linksPerAccount },
    null,
    params.seed,
  );
  population.links.splice(startRate.workflows);
  registerPopulation(stack.simulator, population);
  return population;
}
