/**
 * A campaign against a script: the same pairs (a population of their own for each kind, the same
 * admins acting at random times after each invitation), each kind on a worker process of its own
 * (ours, `node dist/worker/main.js`), on the same server, one after the other.
 *
 * - **campaign**: one `linkCampaign` of every pair, at the pace given (`startsPerMinute`,
 *   `maxInFlight`).
 * - **script**: what platforms do without campaigns — a loop that starts every link through
 *   `WxampLinkClient.link`, a few starts in flight at a time, with no pace, then waits for all.
 *
 * For each: the wall time until every pair has an outcome, WeChat calls (per endpoint), history
 * events of every workflow on the task queue (links, watchers, the campaign), the worker's peak
 * RSS, and the pace held: link starts and invitations per minute (highest 60-second window and
 * mean) and the most links in flight at once, from the links' own start and close times.
 */
import { WxampLinkClient } from '../client';
import type { CampaignPair } from '../workflows/campaign/campaign-contract';
import type { LinkInput } from '../workflows/contract';
import type { CallRecorder } from './call-recorder';
import { mapConcurrent } from './concurrency';
import { historyTotals, type HistoryTotals } from './history-events';
import { planPopulation, registerPopulation } from './population';
import { every, type Log } from './progress';
import type { BenchStack } from './stack';
import { terminateLeftovers } from './start-rate';
import { startTokenService } from './token-service';
import { waitForCount } from './visibility';
import { phaseTaskQueue } from './workers';
import { benchWorkerEnv, spawnMeasuredWorker } from './worker-process';

/** What both kinds are asked to do. */
export interface CampaignBenchParams {
  pairs: number;
  /** Mini programs per account: pairs = accounts × this. */
  miniProgramsPerAccount: number;
  /** The campaign's pace. */
  startsPerMinute: number;
  maxInFlight: number;
  /** The script's starts in flight at once. */
  scriptConcurrency: number;
  /** Every link's options (both kinds). */
  linkOptions: Required<Pick<LinkInput, 'pollInterval' | 'maxPollInterval' | 'timeout'>>;
  /** Give up on a kind after this long. */
  timeoutMs: number;
}

/** The two kinds. */
export type CampaignBenchKind = 'campaign' | 'script';

/** What one kind measured. */
export interface CampaignKindResult {
  kind: CampaignBenchKind;
  pairs: number;
  /** Pairs with an outcome (closed link workflows) when the kind ended or gave up. */
  ended: number;
  wallSeconds: number;
  calls: { wxamplink: number; wxamplinkget: number; total: number };
  history: HistoryTotals;
  workerPeakRssMb: number;
  /** Link starts in the busiest 60 s, and on average per minute between the first and last start. */
  startsPerMinuteMax: number;
  startsPerMinuteMean: number;
  /** `wxamplink` calls in the busiest 60 s. */
  invitationsPerMinuteMax: number;
  /** The most links running at once. */
  maxInFlight: number;
  /** Outcomes of the links (by their `WxLinkStatus`). */
  outcomes: Record<string, number>;
}

const LINK_TYPE = 'linkMiniProgram';

/** Runs one kind on a fresh population (`prefix`) and a worker process of its own; stops the worker before it returns. */
export async function runCampaignKind(
  kind: CampaignBenchKind,
  stack: BenchStack,
  recorder: CallRecorder,
  params: CampaignBenchParams,
  seed: number,
  log: Log,
): Promise<CampaignKindResult> {
  const population = planPopulation(
    kind === 'campaign' ? 'bncamp' : 'bnscript',
    { accounts: Math.ceil(params.pairs / params.miniProgramsPerAccount), linksPerAccount: params.miniProgramsPerAccount },
    null,
    seed,
  );
  population.links.splice(params.pairs);
  registerPopulation(stack.simulator, population);
  const accounts = new Set(population.accounts);
  const pairs: CampaignPair[] = population.links.map(({ officialAccountAppId, miniProgramAppId }) => ({ officialAccountAppId, miniProgramAppId }));
  const tokenService = await startTokenService(population.tokens);
  const taskQueue = phaseTaskQueue(`campaign-${kind}`);
  const worker = await spawnMeasuredWorker(benchWorkerEnv(stack, taskQueue, tokenService.url));
  const closedLinks = `TaskQueue = '${taskQueue}' AND WorkflowType = '${LINK_TYPE}' AND ExecutionStatus != 'Running'`;
  try {
    await worker.ready(60_000);
    const links = new WxampLinkClient({ client: stack.client, taskQueue });
    const startedAtMs = Date.now();
    let ended = 0;
    /** When the kind had every pair ended (the campaign's result, or the script's last count). */
    let endedAtMs = 0;
    const stopProgress = every(15_000, () =>
      log(
        `  ${kind}: ${ended}/${params.pairs} pairs ended after ${((Date.now() - startedAtMs) / 1_000).toFixed(0)}s, worker RSS peak ${worker.peakRssMb().toFixed(0)} MiB`,
      ),
    );
    try {
      if (kind === 'campaign') {
        const campaign = await links.campaign(
          { pairs, ...params.linkOptions, startsPerMinute: params.startsPerMinute, maxInFlight: params.maxInFlight },
          { campaignId: `bench-campaign-${taskQueue}` },
        );
        const result = campaign.result();
        result.catch(() => undefined); // given up on: the server goes away with the run
        const counting = waitForCount(stack.client, closedLinks, params.pairs, {
          timeoutMs: params.timeoutMs,
          everyMs: 2_000,
          onCount: (count) => (ended = count),
        });
        const first = await Promise.race([result.then(() => 'ended' as const), counting.then(({ count }) => (count >= params.pairs ? 'ended' : 'gave up'))]);
        if (first === 'ended') {
          await result;
          endedAtMs = Date.now();
          // Visibility counts the last links a moment after the campaign has ended.
          ended = (await waitForCount(stack.client, closedLinks, params.pairs, { timeoutMs: 30_000, everyMs: 500 })).count;
        } else {
          endedAtMs = Date.now();
          log(`  campaign: gave up after ${(params.timeoutMs / 60_000).toFixed(0)} min with ${ended}/${params.pairs} pairs ended`);
        }
      } else {
        let startError: Error | undefined;
        const starting = mapConcurrent(pairs, params.scriptConcurrency, (pair) => links.link({ ...pair, ...params.linkOptions })).catch(
          (error: unknown) => (startError = error instanceof Error ? error : new Error(`a start failed: ${JSON.stringify(error)}`)),
        );
        await waitForCount(stack.client, closedLinks, params.pairs, {
          timeoutMs: params.timeoutMs,
          everyMs: 2_000,
          onCount: (count) => {
            ended = count;
            if (startError !== undefined) throw startError;
          },
        });
        endedAtMs = Date.now();
        if (ended < params.pairs) log(`  script: gave up after ${(params.timeoutMs / 60_000).toFixed(0)} min with ${ended}/${params.pairs} pairs ended`);
        await starting;
      }
    } finally {
      stopProgress();
    }
    const wallSeconds = (endedAtMs - startedAtMs) / 1_000;
    log(`  ${kind}: ${ended}/${params.pairs} pairs ended in ${wallSeconds.toFixed(1)}s; reading the links' times and histories`);

    const spans: Array<{ startMs: number; closeMs: number }> = [];
    const outcomes: Record<string, number> = {};
    for await (const info of stack.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = '${LINK_TYPE}'` })) {
      spans.push({ startMs: info.startTime.getTime(), closeMs: info.closeTime?.getTime() ?? endedAtMs });
      const status = info.searchAttributes.WxLinkStatus;
      const outcome = Array.isArray(status) && typeof status[0] === 'string' ? status[0] : info.status.name.toLowerCase();
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    const starts = spans.map((span) => span.startMs).sort((a, b) => a - b);
    const invitations = recorder
      .select({ endpoint: 'wxamplink', accounts })
      .map((call) => call.atMs)
      .sort((a, b) => a - b);
    const calls = {
      wxamplink: invitations.length,
      wxamplinkget: recorder.select({ endpoint: 'wxamplinkget', accounts }).length,
      total: recorder.select({ accounts }).length,
    };
    const history = await historyTotals(stack.client, taskQueue, { describeRunningPerType: 50 });
    const first = starts[0] ?? startedAtMs;
    const last = starts.at(-1) ?? first;
    return {
      kind,
      pairs: params.pairs,
      ended,
      wallSeconds,
      calls,
      history,
      workerPeakRssMb: worker.peakRssMb(),
      startsPerMinuteMax: busiestMinute(starts),
      startsPerMinuteMean: last > first ? (starts.length - 1) / ((last - first) / 60_000) : starts.length,
      invitationsPerMinuteMax: busiestMinute(invitations),
      maxInFlight: mostAtOnce(spans),
      outcomes,
    };
  } finally {
    await worker.stop();
    await tokenService.close();
    await terminateLeftovers(stack, [taskQueue], log);
  }
}

/** The most of `sortedTimes` (epoch ms, ascending) within any 60 seconds. */
export function busiestMinute(sortedTimes: readonly number[]): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < sortedTimes.length; to++) {
    while ((sortedTimes[to] as number) - (sortedTimes[from] as number) >= 60_000) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** The most spans open at once (a span closing at the instant another starts is not counted with it). */
export function mostAtOnce(spans: ReadonlyArray<{ startMs: number; closeMs: number }>): number {
  const edges = spans.flatMap((span) => [
    { atMs: span.startMs, step: 1 },
    { atMs: span.closeMs, step: -1 },
  ]);
  edges.sort((a, b) => a.atMs - b.atMs || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const edge of edges) {
    open += edge.step;
    most = Math.max(most, open);
  }
  return most;
}
