/**
 * Naive baseline vs ours on the same population: the same number of accounts and links, the
 * same pollInterval, and admins who act at exactly the same moments (same seed). The two kinds
 * run one after the other, each on its own task queue and its own simulator accounts, so neither
 * slows the other and their calls never mix.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { WxampLinkClient } from '../client';
import type { LinkResult } from '../workflows/contract';
import { defaultUsername } from '../simulator/mini-programs';
import { runAdmins } from './admins';
import type { CallRecorder } from './call-recorder';
import { mapConcurrent } from './concurrency';
import { detectionFigures, type DetectionFigures, type DetectionSample } from './detection';
import { historyTotals, type HistoryTotals } from './history-events';
import type { naiveLinkMiniProgram } from './naive-workflows';
import type { BenchParams } from './params';
import { accountSet, planPopulation, registerPopulation, type PlannedLink } from './population';
import { every, sleep, type Log } from './progress';
import type { BenchStack } from './stack';
import { createBenchWorker, createOursWorker, phaseTaskQueue, type BenchBundle } from './workers';

/** Which side of the comparison. */
export type CompareKind = 'naive' | 'ours';

/**
 * How both kinds poll in one comparison. At production pace ours backs off (`maxPollInterval`
 * above `pollInterval`) and the naive poller cannot; at equal pace neither backs off
 * (`pollInterval = maxPollInterval` for both), so what is left is coalescing alone.
 */
export interface ComparePace {
  /** Names the population and task queues (`bn<kind>` at production pace, `bq<kind>` at equal pace). */
  prefix: string;
  pollIntervalMs: number;
  /** Ours only: the naive poller never backs off. */
  maxPollIntervalMs: number;
  /**
   * Ours only: pass the mini program's username, so that a link needs no snapshot of the account
   * before sending (one `wxamplinkget` per link that the naive poller, matching by appid, does
   * not make either).
   */
  knownUsername: boolean;
  /** When the admins act (same seed for both kinds: the same moments). */
  acts: { delayMs: number; spreadMs: number };
}

/** What one kind did with the population. */
export interface KindRun {
  kind: CompareKind;
  taskQueue: string;
  /** The pace's `pollInterval`: what "per interval" figures divide by. */
  pollIntervalMs: number;
  accounts: number;
  links: number;
  /** From the first start to one second after the last link knew its outcome. */
  elapsedMs: number;
  linkGetCalls: number;
  linkCalls: number;
  history: HistoryTotals;
  detection: DetectionFigures;
  /** Links that ended linked (status 1) within the time allowed. */
  linked: number;
  /** Links that had not ended when time ran out, or ended otherwise. */
  notLinked: number;
  adminFailures: number;
}

/** A link once started: how to await it and read when it knew. */
interface Started {
  link: PlannedLink;
  /** Resolves with the epoch ms at which the workflow knew status 1, or null (other outcome). */
  knownAt: Promise<number | null>;
}

/** Runs one kind on its own population and measures it. */
export async function runCompareKind(
  kind: CompareKind,
  stack: BenchStack,
  recorder: CallRecorder,
  params: BenchParams,
  bundle: BenchBundle,
  log: Log,
  pace: ComparePace = productionPace(params),
): Promise<KindRun> {
  const { compare } = params;
  const population = planPopulation(`${pace.prefix}${kind}`, compare, pace.acts, params.seed);
  registerPopulation(stack.simulator, population);
  const taskQueue = phaseTaskQueue(`${pace.prefix}-${kind}`);
  const worker =
    kind === 'naive' ? await createBenchWorker(stack, taskQueue, bundle, population.tokens) : await createOursWorker(stack, taskQueue, population.tokens);
  const links = new WxampLinkClient({ client: stack.client, taskQueue });

  const start = async (link: PlannedLink): Promise<Started> => {
    if (kind === 'naive') {
      const handle: WorkflowHandle<typeof naiveLinkMiniProgram> = await stack.client.workflow.start<typeof naiveLinkMiniProgram>('naiveLinkMiniProgram', {
        taskQueue,
        workflowId: `bench-naive/${link.officialAccountAppId}/${link.miniProgramAppId}`,
        args: [{ officialAccountAppId: link.officialAccountAppId, miniProgramAppId: link.miniProgramAppId, pollIntervalMs: pace.pollIntervalMs }],
      });
      return { link, knownAt: handle.result().then((r) => (r.status === 1 ? r.knownAtMs : null)) };
    }
    const handle = await links.link({
      officialAccountAppId: link.officialAccountAppId,
      miniProgramAppId: link.miniProgramAppId,
      pollInterval: pace.pollIntervalMs,
      maxPollInterval: pace.maxPollIntervalMs,
      timeout: Math.round((7 * 24 * 3_600_000) / params.divisor),
      ...(pace.knownUsername && { miniProgramUsername: defaultUsername(link.miniProgramAppId) }),
    });
    return { link, knownAt: handle.result().then(knownLinkedAt) };
  };

  const lastActAfterMs = Math.max(...population.links.map((link) => link.confirmMiniProgramAfterMs ?? 0));
  let startedAtMs = 0;
  let endedAtMs = 0;
  const known = new Map<string, number | null>();
  let adminFailures = 0;
  const finalActs = new Map<string, number>();

  await worker.runUntil(async () => {
    startedAtMs = Date.now();
    const admins = runAdmins(stack.simulator, population.links, startedAtMs);
    const started = await mapConcurrent(population.links, 32, start);
    log(
      `  ${kind}: ${started.length} links started in ${((Date.now() - startedAtMs) / 1_000).toFixed(1)}s; admins act from ${(pace.acts.delayMs / 1_000).toFixed(0)}s to ${(lastActAfterMs / 1_000).toFixed(0)}s`,
    );
    for (const { link, knownAt } of started) {
      knownAt.then(
        (at) => known.set(link.miniProgramAppId, at),
        () => known.set(link.miniProgramAppId, null),
      );
    }
    const stopHeartbeat = every(10_000, () => {
      const linked = [...known.values()].filter((at) => at !== null).length;
      log(
        `  ${kind}: ${linked}/${started.length} linked, ${admins.finalActAtMs.size} final acts done, ${recorder.select({ endpoint: 'wxamplinkget', accounts: accountSet(population), fromMs: startedAtMs }).length} wxamplinkget so far`,
      );
    });
    const deadline = startedAtMs + lastActAfterMs + compare.settleTimeoutMs;
    while (known.size < started.length && Date.now() < deadline) await sleep(100);
    stopHeartbeat();
    admins.cancel();
    adminFailures = admins.failures.length;
    for (const [mp, at] of admins.finalActAtMs) finalActs.set(mp, at);
    if (known.size < started.length)
      log(
        `  ${kind}: ${started.length - known.size} links had not ended ${(compare.settleTimeoutMs / 1_000).toFixed(0)}s after the last act; counted as not linked`,
      );
    // A last second, so that whatever the outcome sets off (a helper's last poll) is counted too.
    await sleep(1_000);
    endedAtMs = Date.now();
  });

  const accounts = accountSet(population);
  const samples: DetectionSample[] = [];
  for (const link of population.links) {
    const knownAt = known.get(link.miniProgramAppId);
    const actAt = finalActs.get(link.miniProgramAppId);
    if (knownAt !== undefined && knownAt !== null && actAt !== undefined) {
      samples.push({ officialAccountAppId: link.officialAccountAppId, finalActAtMs: actAt, knownAtMs: knownAt });
    }
  }
  const window = { accounts, fromMs: startedAtMs, toMs: endedAtMs };
  const pollTimes = recorder.timesByAccount({ ...window, endpoint: 'wxamplinkget' });
  const linked = [...known.values()].filter((at) => at !== null).length;
  return {
    kind,
    taskQueue,
    pollIntervalMs: pace.pollIntervalMs,
    accounts: population.accounts.length,
    links: population.links.length,
    elapsedMs: endedAtMs - startedAtMs,
    linkGetCalls: recorder.select({ ...window, endpoint: 'wxamplinkget' }).length,
    linkCalls: recorder.select({ ...window, endpoint: 'wxamplink' }).length,
    history: await historyTotals(stack.client, taskQueue),
    detection: detectionFigures(samples, pollTimes),
    linked,
    notLinked: population.links.length - linked,
    adminFailures,
  };
}

/** The production pace (scaled): ours backs off from `pollInterval` to `maxPollInterval`; no username given. */
export function productionPace(params: BenchParams): ComparePace {
  const { compare } = params;
  return {
    prefix: 'bn',
    pollIntervalMs: params.pollIntervalMs,
    maxPollIntervalMs: params.maxPollIntervalMs,
    knownUsername: false,
    acts: { delayMs: compare.actDelayMs, spreadMs: compare.actSpreadMs },
  };
}

/** The equal pace: both kinds poll every `params.equalPace.intervalMs`, neither backs off. */
export function equalPace(params: BenchParams): ComparePace {
  const { intervalMs, actDelayMs, actSpreadMs } = params.equalPace;
  return { prefix: 'bq', pollIntervalMs: intervalMs, maxPollIntervalMs: intervalMs, knownUsername: true, acts: { delayMs: actDelayMs, spreadMs: actSpreadMs } };
}

/** When a link result says its workflow saw status 1 (the transition's workflow time), or null. */
function knownLinkedAt(result: LinkResult): number | null {
  if (result.outcome !== 'linked') return null;
  const transition = result.transitions.find((t) => t.status === 1);
  return transition === undefined ? null : Date.parse(transition.at);
}
