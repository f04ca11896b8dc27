/**
 * Scale: many links waiting at once on ONE worker process (ours, `node dist/worker/main.js`,
 * configured as in production, with its default sticky cache), its admins never acting. Every
 * link is started, whatever the worker's memory. Measures the worker's peak memory, the time to
 * get every link to `waiting`, how late the polls come while they wait, the sticky cache's
 * evictions and misses (replays) meanwhile, the history events written per link per interval,
 * `pollNow` latency under that load, and the longest history.
 */
import { WxampLinkClient } from '../client';
import { LinkPhase } from '../workflows/contract';
import type { CallRecorder } from './call-recorder';
import { mapConcurrent } from './concurrency';
import { historyTotals, type HistoryTotals } from './history-events';
import type { BenchParams } from './params';
import { simulatorLogLags, watcherQueryLags, LagSourceName, type PollLagSource } from './poll-lag';
import { measurePollNow, type PollNowResult } from './poll-now';
import { planPopulation, registerPopulation } from './population';
import { every, sleep, type Log } from './progress';
import { sampleIndexes, seededRandom } from './random';
import type { BenchStack } from './stack';
import { terminateLeftovers } from './start-rate';
import { startTokenService } from './token-service';
import { statusQuery, waitForCount } from './visibility';
import { phaseTaskQueue } from './workers';
import { freePort, stickyCacheCounters } from './worker-metrics';
import { benchWorkerEnv, spawnMeasuredWorker } from './worker-process';

/** How many running runs of each workflow type are described to measure history growth. */
const HISTORY_SAMPLE_PER_TYPE = 200;

/** Up to {@link HISTORY_SAMPLE_PER_TYPE} running runs per workflow type, and how many there are of each. */
async function sampleRuns(stack: BenchStack, taskQueue: string): Promise<{ ids: string[]; perKind: Array<{ ids: string[]; count: number }> }> {
  const byType = new Map<string, { ids: string[]; count: number }>();
  for await (const info of stack.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    const kind = byType.get(info.type) ?? { ids: [], count: 0 };
    byType.set(info.type, kind);
    kind.count += 1;
    if (kind.ids.length < HISTORY_SAMPLE_PER_TYPE) kind.ids.push(info.workflowId);
  }
  const perKind = [...byType.values()];
  return { ids: perKind.flatMap((kind) => kind.ids), perKind };
}

/** Where each sampled workflow's history stood: its current run and that run's length. */
type HistoryMarks = Map<string, { runId: string; length: number }>;

async function historyMarks(stack: BenchStack, ids: readonly string[]): Promise<HistoryMarks> {
  const marks: HistoryMarks = new Map();
  await mapConcurrent(ids, 16, async (id) => {
    const described = await stack.client.workflow.getHandle(id).describe();
    marks.set(id, { runId: described.runId, length: described.historyLength });
  });
  return marks;
}

/**
 * Events each sampled workflow wrote since `before`. A watcher that continued as new in between:
 * the rest of its old run (read by run id) plus its new run (runs in between are not seen).
 */
async function historyGrowth(stack: BenchStack, before: HistoryMarks): Promise<Map<string, number>> {
  const after = await historyMarks(stack, [...before.keys()]);
  const growth = new Map<string, number>();
  await mapConcurrent([...before], 16, async ([id, was]) => {
    const now = after.get(id);
    if (now === undefined) return;
    if (now.runId === was.runId) {
      growth.set(id, now.length - was.length);
      return;
    }
    const oldRun = await stack.client.workflow.getHandle(id, was.runId).describe();
    growth.set(id, oldRun.historyLength - was.length + now.length);
  });
  return growth;
}

/** Links started but not yet waiting, at most: beyond this, starts wait for the worker. */
const START_BACKLOG = 300;

/** Options of {@link runScale}. */
export interface ScaleOptions {
  /** Which lag figure becomes `scalePollLag*`. @default simulator log */
  lagSource?: LagSourceName;
  /** Extra environment for the worker process (tuning experiments). */
  workerEnv?: Record<string, string>;
}

/** What the scale run measured. */
export interface ScaleResult {
  links: number;
  /** Accounts with at least one started link. */
  accounts: number;
  /** How many were started (all of {@link links} unless a start failed). */
  started: number;
  /** How many reached `waiting` within the time allowed. */
  waiting: number;
  startSeconds: number;
  workerPeakRssMb: number;
  /** Lags from the source chosen for the headline figure. */
  lagSource: LagSourceName;
  lagsMs: number[];
  /** Lags from the simulator log, whatever the chosen source. */
  logLagsMs: number[];
  /** Lags the watchers recorded, when they answer the query. */
  watcherLagsMs: number[] | null;
  /** `wxamplinkget` calls per account per interval during the observation window. */
  callsPerAccountPerInterval: number;
  pollNow: PollNowResult;
  history: HistoryTotals;
  /** The sticky cache during the observation window (null: the worker exported no metrics). */
  cache: { size: number; evictionsPerMinute: number; missesPerMinute: number; hitsPerMinute: number } | null;
  /**
   * History events written per link per interval during the observation window: a sample of links
   * and watchers described at both ends of it, each kind scaled to its count.
   */
  eventsPerLinkPerInterval: number | null;
}

/** Runs the scale phase; the worker process is stopped before it returns. */
export async function runScale(stack: BenchStack, recorder: CallRecorder, params: BenchParams, log: Log, options: ScaleOptions = {}): Promise<ScaleResult> {
  const { scale } = params;
  const population = planPopulation('bnscale', { accounts: scale.accounts, linksPerAccount: Math.ceil(scale.links / scale.accounts) }, null, params.seed);
  population.links.splice(scale.links);
  registerPopulation(stack.simulator, population);
  const tokenService = await startTokenService(population.tokens);
  const taskQueue = phaseTaskQueue('scale');
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const worker = await spawnMeasuredWorker({
    ...benchWorkerEnv(stack, taskQueue, tokenService.url),
    WXAMP_METRICS_ADDRESS: metricsAddress,
    ...options.workerEnv,
  });
  try {
    await worker.ready(60_000);
    log(
      `  worker process ${worker.pid} polls ${taskQueue} (${worker.peakRssMb().toFixed(0)} MiB at rest); starting ${scale.links} links on ${scale.accounts} accounts, each polling every ${scale.pollIntervalMs} ms`,
    );
    const links = new WxampLinkClient({ client: stack.client, taskQueue });

    // Start everything and time it until visibility counts every link as waiting.
    const startedAtMs = Date.now();
    let startError: Error | undefined;
    let started = 0;
    const startedLinks: Array<(typeof population.links)[number]> = [];
    let waitingNow = 0;
    const starting = mapConcurrent(population.links, scale.concurrency, async (link) => {
      // Starts are paced to what the worker keeps up with: Temporal would accept them all in
      // seconds, and the backlog would only delay every link's first task alike.
      while (started - waitingNow >= START_BACKLOG && startError === undefined) await sleep(100);
      started += 1;
      startedLinks.push(link);
      await links.link({
        officialAccountAppId: link.officialAccountAppId,
        miniProgramAppId: link.miniProgramAppId,
        pollInterval: scale.pollIntervalMs,
        maxPollInterval: scale.pollIntervalMs,
      });
    });
    starting.catch((error: unknown) => (startError = error instanceof Error ? error : new Error(String(error))));
    let lastLogMs = startedAtMs;
    const reached = await waitForCount(stack.client, statusQuery(taskQueue, LinkPhase.Waiting), scale.links, {
      timeoutMs: scale.startTimeoutMs,
      everyMs: 500,
      onCount: (count) => {
        waitingNow = count;
        if (startError !== undefined) throw startError;
        if (Date.now() - lastLogMs < 10_000) return;
        lastLogMs = Date.now();
        log(
          `  ${count}/${scale.links} waiting after ${((Date.now() - startedAtMs) / 1_000).toFixed(0)}s, worker RSS peak ${worker.peakRssMb().toFixed(0)} MiB`,
        );
      },
    });
    await starting;
    const startSeconds = (reached.atMs - startedAtMs) / 1_000;
    log(`  ${reached.count}/${started} waiting in ${startSeconds.toFixed(1)}s (${(reached.count / startSeconds).toFixed(1)}/s)`);

    // One interval for the start's burst of polls to pass, then watch the steady state.
    await sleep(scale.pollIntervalMs);
    const historySample = await sampleRuns(stack, taskQueue);
    const marksBefore = await historyMarks(stack, historySample.ids);
    const cacheBefore = await stickyCacheCounters(metricsAddress);
    const observedFromMs = Date.now();
    const stopHeartbeat = every(15_000, () =>
      log(
        `  observing polls: ${((Date.now() - observedFromMs) / 1_000).toFixed(0)}/${(scale.observeMs / 1_000).toFixed(0)}s, worker RSS peak ${worker.peakRssMb().toFixed(0)} MiB`,
      ),
    );
    await sleep(scale.observeMs);
    stopHeartbeat();
    const observedToMs = Date.now();
    const cacheAfter = await stickyCacheCounters(metricsAddress);
    const grownBy = await historyGrowth(stack, marksBefore);
    const observedMinutes = (observedToMs - observedFromMs) / 60_000;
    const cache =
      cacheBefore && cacheAfter
        ? {
            size: cacheAfter.size,
            evictionsPerMinute: (cacheAfter.forcedEvictions - cacheBefore.forcedEvictions) / observedMinutes,
            missesPerMinute: (cacheAfter.misses - cacheBefore.misses) / observedMinutes,
            hitsPerMinute: (cacheAfter.hits - cacheBefore.hits) / observedMinutes,
          }
        : null;
    const intervals = (observedToMs - observedFromMs) / scale.pollIntervalMs;
    const eventsPerLinkPerInterval =
      historySample.perKind.length === 0
        ? null
        : historySample.perKind.reduce((total, kind) => {
            const grown = kind.ids.reduce((sum, id) => sum + (grownBy.get(id) ?? 0), 0);
            return total + (kind.ids.length === 0 ? 0 : (grown / kind.ids.length) * kind.count);
          }, 0) /
          reached.count /
          intervals;
    if (cache)
      log(
        `  sticky cache: ${cache.size} cached; per minute ${cache.evictionsPerMinute.toFixed(1)} evictions, ${cache.missesPerMinute.toFixed(1)} misses (replays), ${cache.hitsPerMinute.toFixed(1)} hits`,
      );
    const accounts = new Set(startedLinks.map((link) => link.officialAccountAppId));
    const window = { accounts, fromMs: observedFromMs, toMs: observedToMs, intervalMs: scale.pollIntervalMs };
    const logSource = simulatorLogLags(recorder, window);
    const watcherSource = watcherQueryLags(stack.client, { taskQueue, lastPerWatcher: Math.max(1, Math.floor(scale.observeMs / scale.pollIntervalMs)) });
    const logLagsMs = (await logSource.lagsMs()) ?? [];
    const watcherLagsMs = await watcherSource.lagsMs();
    const chosen: PollLagSource = options.lagSource === LagSourceName.WatcherQuery && watcherLagsMs !== null ? watcherSource : logSource;
    const calls = recorder.select({ endpoint: 'wxamplinkget', accounts, fromMs: observedFromMs, toMs: observedToMs }).length;
    const callsPerAccountPerInterval = calls / (accounts.size * ((observedToMs - observedFromMs) / scale.pollIntervalMs));
    log(
      `  ${calls} wxamplinkget in ${((observedToMs - observedFromMs) / 1_000).toFixed(0)}s (${callsPerAccountPerInterval.toFixed(2)} per account per interval); ${logLagsMs.length} lags from the simulator log${watcherLagsMs === null ? ', no watcher answers getAccountWatchState' : `, ${watcherLagsMs.length} from watchers`}`,
    );

    // pollNow on a sample of the waiting links, nothing having changed.
    const random = seededRandom(params.seed + 1);
    const sample = sampleIndexes(startedLinks.length, params.pollNow.samples, random).map((i) => startedLinks[i] as (typeof startedLinks)[number]);
    log(`  pollNow on ${sample.length} waiting links, ${params.pollNow.concurrency} at a time`);
    const pollNow = await measurePollNow(links, sample, params.pollNow);

    const history = await historyTotals(stack.client, taskQueue, { describeRunningPerType: 200 });
    const workerPeakRssMb = worker.peakRssMb();
    return {
      links: scale.links,
      accounts: accounts.size,
      started,
      waiting: reached.count,
      startSeconds,
      workerPeakRssMb,
      lagSource: chosen === watcherSource ? LagSourceName.WatcherQuery : LagSourceName.SimulatorLog,
      lagsMs: chosen === watcherSource ? (watcherLagsMs ?? []) : logLagsMs,
      logLagsMs,
      watcherLagsMs,
      callsPerAccountPerInterval,
      pollNow,
      history,
      cache,
      eventsPerLinkPerInterval,
    };
  } finally {
    await worker.stop();
    await tokenService.close();
    await terminateLeftovers(stack, [taskQueue], log);
  }
}
