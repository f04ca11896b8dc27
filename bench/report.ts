/**
 * The bench's figures: one flat record (written as bench/results/latest.json, every value a
 * number, string, boolean or null), the targets each headline figure is held to, and the table
 * printed at the end (ours beside the baseline, with ratios, then figures against targets).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import picocolors from 'picocolors';
import type { ActionsResult } from './actions';
import type { KindRun } from './compare-naive';
import type { BenchParams } from './params';
import { spread } from './percentiles';
import type { ScaleResult } from './scale';
import type { StartRateResult } from './start-rate';

/** One value of the flat record. */
export type FlatValue = number | string | boolean | null;
/** The record written to latest.json. */
export type FlatResults = Record<string, FlatValue>;

/** What the phases produced (a phase left out with `--only` is undefined). */
export interface PhaseResults {
  naive?: KindRun;
  ours?: KindRun;
  /** Both kinds at the same pace, neither backing off. */
  naiveEqual?: KindRun;
  oursEqual?: KindRun;
  actions?: ActionsResult;
  startRate?: StartRateResult;
  scale?: ScaleResult;
}

/** A headline figure's target. */
export interface Target {
  key: string;
  op: '≤' | '≥' | '<';
  value: number;
  unit: string;
  /** The target is another figure of the run plus {@link value} (e.g. naive's p99 + 1,000 ms). */
  relativeTo?: string;
}

/** The targets (issue 14's where it set them), in the order they are printed. */
export const TARGETS: readonly Target[] = [
  { key: 'callsRatioVsNaive', op: '≤', value: 0.1, unit: '' },
  { key: 'callsPerAccountPerInterval', op: '≤', value: 1.05, unit: '' },
  { key: 'equalPaceCallsPerAccountPerInterval', op: '≤', value: 1.05, unit: '' },
  { key: 'equalPaceDetectionP99Ms', op: '≤', value: 1_000, unit: 'ms', relativeTo: 'naiveEqualPaceDetectionP99Ms' },
  { key: 'actionsRatioVsNaive', op: '≤', value: 0.2, unit: '' },
  { key: 'detectionP99OverIntervalMs', op: '≤', value: 1_000, unit: 'ms' },
  { key: 'pollNowP99Ms', op: '≤', value: 1_000, unit: 'ms' },
  { key: 'startRatioVsNoop', op: '≥', value: 0.5, unit: '' },
  { key: 'startRatioVsNaive', op: '≥', value: 1.0, unit: '' },
  { key: 'scaleStarted', op: '≥', value: 0, unit: '', relativeTo: 'scaleLinks' },
  { key: 'scaleWorkerRssMb', op: '≤', value: 400, unit: 'MiB' },
  { key: 'scalePollLagP99Ms', op: '≤', value: 1_000, unit: 'ms' },
  { key: 'maxHistoryEvents', op: '<', value: 10_240, unit: '' },
];

/** The number a target stands for in this run (null when its reference was not measured). */
export function targetValue(target: Target, results: FlatResults): number | null {
  if (target.relativeTo === undefined) return target.value;
  const base = results[target.relativeTo];
  return typeof base === 'number' && Number.isFinite(base) ? base + target.value : null;
}

/** Whether `value` meets `target`; null when there is no value (or no reference). */
export function meets(target: Target, value: FlatValue | undefined, results: FlatResults = {}): boolean | null {
  const bound = targetValue(target, results);
  if (typeof value !== 'number' || !Number.isFinite(value) || bound === null) return null;
  if (target.op === '≤') return value <= bound;
  if (target.op === '≥') return value >= bound;
  return value < bound;
}

const ratio = (ours: number, base: number): number | null => (base > 0 ? round(ours / base, 3) : null);
const round = (n: number, digits = 0): number | null => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

/** Turns the phases' results into the flat record (headline keys first, then the detail). */
export function flatten(
  params: BenchParams,
  phases: PhaseResults,
  meta: {
    startedAt: Date;
    wallSeconds: number;
    lostCalls: number;
    database: string;
    phases: readonly string[];
    failedPhases: readonly string[];
    workflowBundleKiB: number | null;
  },
): FlatResults {
  const { naive, ours, naiveEqual, oursEqual, actions, startRate, scale } = phases;
  const perInterval = (run: KindRun): number => run.elapsedMs / run.pollIntervalMs;
  const callsPerAccount = (run: KindRun): number => run.linkGetCalls / (run.accounts * perInterval(run));
  const eventsPerLink = (run: KindRun): number => run.history.totalEvents / (run.links * perInterval(run));
  const detection = ours && spread(ours.detection.overIntervalMs);
  const historyMaxes = [naive?.history, ours?.history, naiveEqual?.history, oursEqual?.history, scale?.history].filter((h) => h !== undefined);
  const maxHistory = historyMaxes.reduce((best, h) => (h.maxEvents > best.maxEvents ? h : best), { maxEvents: 0, maxWorkflowId: null as string | null });
  const lag = scale && spread(scale.lagsMs);
  const pollNow = scale && spread(scale.pollNow.latenciesMs);
  const kindKeys = (prefix: string, run: KindRun | undefined): FlatResults => {
    if (!run) return {};
    const latency = spread(run.detection.latencyMs);
    const over = spread(run.detection.overIntervalMs);
    const afterPoll = spread(run.detection.afterSeeingPollMs);
    return {
      [`${prefix}Links`]: run.links,
      [`${prefix}Linked`]: run.linked,
      [`${prefix}ElapsedMs`]: run.elapsedMs,
      [`${prefix}WxamplinkgetCalls`]: run.linkGetCalls,
      [`${prefix}WxamplinkCalls`]: run.linkCalls,
      [`${prefix}CallsPerAccountPerInterval`]: round(callsPerAccount(run), 3),
      // For the naive baseline: the share of its nominal polls (every link every pollInterval)
      // that the machine actually managed; below 1 the baseline is cheaper than on paper.
      [`${prefix}CallsVsNominal`]: round(run.linkGetCalls / (run.links * perInterval(run)), 3),
      [`${prefix}HistoryEvents`]: run.history.totalEvents,
      [`${prefix}WorkflowExecutions`]: run.history.executions,
      [`${prefix}HistoryEventsByType`]: Object.entries(run.history.byType)
        .map(([type, h]) => `${type}=${h.events} (${h.executions} runs)`)
        .join(', '),
      [`${prefix}EventsPerLinkPerInterval`]: round(eventsPerLink(run), 2),
      [`${prefix}DetectionLatencyP50Ms`]: latency.p50,
      [`${prefix}DetectionLatencyP99Ms`]: latency.p99,
      [`${prefix}DetectionP50OverIntervalMs`]: over.p50,
      [`${prefix}DetectionP99OverIntervalMs`]: over.p99,
      [`${prefix}DetectionP99AfterSeeingPollMs`]: afterPoll.p99,
      [`${prefix}DetectionUnmeasured`]: run.detection.unmeasured,
    };
  };

  return {
    // Headline figures (each held to a target in TARGETS).
    callsRatioVsNaive: naive && ours ? ratio(ours.linkGetCalls, naive.linkGetCalls) : null,
    callsPerAccountPerInterval: ours ? round(callsPerAccount(ours), 3) : null,
    actionsRatioVsNaive: naive && ours ? ratio(ours.history.totalEvents, naive.history.totalEvents) : null,
    detectionP99OverIntervalMs: detection ? detection.p99 : null,
    pollNowP99Ms: pollNow ? pollNow.p99 : null,
    startRatioVsNoop: startRate ? ratio(startRate.links.perSecond, startRate.noop.perSecond) : null,
    scaleLinks: scale ? scale.links : null,
    scaleWorkerRssMb: scale ? round(scale.workerPeakRssMb, 1) : null,
    scalePollLagP99Ms: lag ? lag.p99 : null,
    maxHistoryEvents: historyMaxes.length > 0 ? maxHistory.maxEvents : null,
    // Added by issue 14. Coalescing alone: both kinds at one pace, neither backing off.
    equalPaceCallsPerAccountPerInterval: oursEqual ? round(callsPerAccount(oursEqual), 3) : null,
    naiveEqualPaceCallsPerAccountPerInterval: naiveEqual ? round(callsPerAccount(naiveEqual), 3) : null,
    equalPaceDetectionP99Ms: oursEqual ? spread(oursEqual.detection.latencyMs).p99 : null,
    naiveEqualPaceDetectionP99Ms: naiveEqual ? spread(naiveEqual.detection.latencyMs).p99 : null,
    equalPaceDetectionP50Ms: oursEqual ? spread(oursEqual.detection.latencyMs).p50 : null,
    naiveEqualPaceDetectionP50Ms: naiveEqual ? spread(naiveEqual.detection.latencyMs).p50 : null,
    equalPaceIntervalMs: params.equalPace.intervalMs,
    equalPaceLinked: oursEqual ? oursEqual.linked : null,
    naiveEqualPaceLinked: naiveEqual ? naiveEqual.linked : null,
    naiveEqualPaceCallsVsNominal: naiveEqual ? round(naiveEqual.linkGetCalls / (naiveEqual.links * perInterval(naiveEqual)), 3) : null,
    // Production pace with back-off: raw detection latency, final act → the workflow knew.
    detectionP50Ms: ours ? spread(ours.detection.latencyMs).p50 : null,
    detectionP99Ms: ours ? spread(ours.detection.latencyMs).p99 : null,
    naiveDetectionP50Ms: naive ? spread(naive.detection.latencyMs).p50 : null,
    naiveDetectionP99Ms: naive ? spread(naive.detection.latencyMs).p99 : null,
    // Temporal actions per link per scaled week of waiting (see bench/actions.ts).
    actionsPerLinkWeek1: actions ? round(actions.week1.perLinkWeek, 0) : null,
    actionsPerLinkWeek10: actions ? round(actions.week10.perLinkWeek, 0) : null,
    actionsBeforeWindowPerLink1: actions ? round(actions.week1.perLinkBeforeWindow, 1) : null,
    actionsBeforeWindowPerLink10: actions ? round(actions.week10.perLinkBeforeWindow, 1) : null,
    actionsWindowByKind1: actions ? actions.week1.windowByKind : null,
    actionsWindowByKind10: actions ? actions.week10.windowByKind : null,
    actionsWindowMs: actions ? Math.round(actions.windowMs) : null,
    waitingEventsPerLinkPerInterval1: actions ? round(actions.week1.eventsPerLinkPerInterval, 3) : null,
    waitingEventsPerLinkPerInterval10: actions ? round(actions.week10.eventsPerLinkPerInterval, 3) : null,
    // Scale and start.
    scaleStarted: scale ? scale.started : null,
    scaleStartSeconds: scale ? round(scale.startSeconds, 1) : null,
    workflowBundleKiB: meta.workflowBundleKiB === null ? null : round(meta.workflowBundleKiB, 0),
    cacheEvictionsPerMinute: scale?.cache ? round(scale.cache.evictionsPerMinute, 1) : null,
    cacheMissesPerMinute: scale?.cache ? round(scale.cache.missesPerMinute, 1) : null,
    cacheHitsPerMinute: scale?.cache ? round(scale.cache.hitsPerMinute, 1) : null,
    stickyCacheSize: scale?.cache ? scale.cache.size : null,
    scaleEventsPerLinkPerInterval: scale?.eventsPerLinkPerInterval == null ? null : round(scale.eventsPerLinkPerInterval, 3),
    startRatioVsNaive: startRate ? ratio(startRate.links.perSecond, startRate.naive.perSecond) : null,
    startNaivePerSecond: startRate ? round(startRate.naive.perSecond, 1) : null,
    startNaiveReached: startRate ? startRate.naive.reached : null,
    // The run.
    mode: params.mode,
    phases: meta.phases.join(','),
    failedPhases: meta.failedPhases.join(','),
    timeScale: `1/${params.divisor}`,
    timeDivisor: params.divisor,
    pollIntervalMs: params.pollIntervalMs,
    maxPollIntervalMs: params.maxPollIntervalMs,
    seed: params.seed,
    startedAt: meta.startedAt.toISOString(),
    wallSeconds: Math.round(meta.wallSeconds),
    node: process.version,
    simulatorCallsLost: meta.lostCalls,
    temporalDatabase: meta.database,
    // Naive vs ours.
    compareAccounts: params.compare.accounts,
    compareLinksPerAccount: params.compare.linksPerAccount,
    compareLinks: params.compare.accounts * params.compare.linksPerAccount,
    compareActDelayMs: params.compare.actDelayMs,
    compareActSpreadMs: params.compare.actSpreadMs,
    ...kindKeys('naive', naive),
    ...kindKeys('ours', ours),
    ...kindKeys('naiveEqual', naiveEqual),
    ...kindKeys('oursEqual', oursEqual),
    // Start rate.
    startWorkflows: params.startRate.workflows,
    startConcurrency: params.startRate.concurrency,
    startLinksPerSecond: startRate ? round(startRate.links.perSecond, 1) : null,
    startNoopPerSecond: startRate ? round(startRate.noop.perSecond, 1) : null,
    startLinksReached: startRate ? startRate.links.reached : null,
    startNoopReached: startRate ? startRate.noop.reached : null,
    // Scale.
    scaleAccounts: scale ? scale.accounts : params.scale.accounts,
    scalePollIntervalMs: params.scale.pollIntervalMs,
    scaleObserveMs: params.scale.observeMs,
    scaleWaiting: scale ? scale.waiting : null,
    scaleStartPerSecond: scale ? round(scale.waiting / scale.startSeconds, 1) : null,
    scalePollLagP50Ms: lag ? lag.p50 : null,
    scalePollLagMaxMs: lag ? lag.max : null,
    scalePollLagSamples: lag ? lag.count : null,
    scalePollLagSource: scale ? scale.lagSource : null,
    scaleLogPollLagP99Ms: scale ? spread(scale.logLagsMs).p99 : null,
    scaleWatcherPollLagP99Ms: scale?.watcherLagsMs ? spread(scale.watcherLagsMs).p99 : null,
    scaleCallsPerAccountPerInterval: scale ? round(scale.callsPerAccountPerInterval, 3) : null,
    scaleHistoryEvents: scale ? scale.history.totalEvents : null,
    pollNowP50Ms: pollNow ? pollNow.p50 : null,
    pollNowSamples: pollNow ? pollNow.count : null,
    pollNowTimeouts: scale ? scale.pollNow.timeouts : null,
    maxHistoryEventsWorkflowId: maxHistory.maxWorkflowId,
  };
}

/** Adds `targetsMet` and `targetsMeasured` (of {@link TARGETS}) once the record is complete. */
export function countTargets(results: FlatResults): FlatResults {
  const verdicts = TARGETS.map((t) => meets(t, results[t.key], results));
  return {
    ...results,
    targetsMet: verdicts.filter((v) => v === true).length,
    targetsMeasured: verdicts.filter((v) => v !== null).length,
    targets: TARGETS.length,
  };
}

/** Writes the record as pretty JSON, creating the folder. */
export function writeResults(path: string, results: FlatResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** The tables printed at the end. */
export function renderReport(results: FlatResults, useColor: boolean): string {
  const c = picocolors.createColors(useColor);
  const show = (value: FlatValue | undefined, unit = ''): string =>
    value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? c.dim('—') : `${String(value)}${unit ? ` ${unit}` : ''}`;
  // cli-table3 colours its head and borders itself; plain output (a pipe, NO_COLOR) wants none.
  const style = useColor ? {} : { style: { head: [], border: [] } };
  const side = new Table({ head: ['', 'ours', 'baseline', 'ours / baseline'].map((h) => c.bold(h)), ...style });
  const pair = (label: string, ours: string, base: string, ratioKey?: string, unit = ''): void => {
    const o = results[ours];
    const b = results[base];
    const r = ratioKey ? results[ratioKey] : typeof o === 'number' && typeof b === 'number' && b !== 0 ? Number((o / b).toFixed(3)) : null;
    side.push([label, show(o, unit), show(b, unit), show(r)]);
  };
  pair('wxamplinkget calls (naive baseline)', 'oursWxamplinkgetCalls', 'naiveWxamplinkgetCalls', 'callsRatioVsNaive');
  pair('calls per account per pollInterval', 'oursCallsPerAccountPerInterval', 'naiveCallsPerAccountPerInterval');
  pair('history events, all workflows', 'oursHistoryEvents', 'naiveHistoryEvents', 'actionsRatioVsNaive');
  pair('events per link per pollInterval', 'oursEventsPerLinkPerInterval', 'naiveEventsPerLinkPerInterval');
  pair('detection latency p50', 'oursDetectionLatencyP50Ms', 'naiveDetectionLatencyP50Ms', undefined, 'ms');
  pair('detection latency p99', 'oursDetectionLatencyP99Ms', 'naiveDetectionLatencyP99Ms', undefined, 'ms');
  pair('detection p99 over the poll gap', 'oursDetectionP99OverIntervalMs', 'naiveDetectionP99OverIntervalMs', undefined, 'ms');
  pair('detection p99 after the seeing poll', 'oursDetectionP99AfterSeeingPollMs', 'naiveDetectionP99AfterSeeingPollMs', undefined, 'ms');
  pair('links linked', 'oursLinked', 'naiveLinked');
  pair('starts per second (no-op baseline)', 'startLinksPerSecond', 'startNoopPerSecond', 'startRatioVsNoop');
  pair('starts per second (naive baseline)', 'startLinksPerSecond', 'startNaivePerSecond', 'startRatioVsNaive');
  pair('equal pace: calls per account per interval', 'equalPaceCallsPerAccountPerInterval', 'naiveEqualPaceCallsPerAccountPerInterval');
  pair('equal pace: detection latency p50', 'equalPaceDetectionP50Ms', 'naiveEqualPaceDetectionP50Ms', undefined, 'ms');
  pair('equal pace: detection latency p99', 'equalPaceDetectionP99Ms', 'naiveEqualPaceDetectionP99Ms', undefined, 'ms');

  const targets = new Table({ head: ['figure', 'value', 'target', ''].map((h) => c.bold(h)), ...style });
  for (const target of TARGETS) {
    const verdict = meets(target, results[target.key], results);
    const bound =
      target.relativeTo === undefined
        ? `${target.value}`
        : `${target.relativeTo}${target.value ? ` + ${target.value}` : ''} (${show(targetValue(target, results))})`;
    targets.push([
      target.key,
      show(results[target.key], target.unit),
      `${target.op} ${bound}${target.unit ? ` ${target.unit}` : ''}`,
      verdict === null ? c.dim('not measured') : verdict ? c.green('✔ met') : c.red('✘ missed'),
    ]);
  }
  const scaleLine =
    results.scaleLinks === null
      ? ''
      : `scale: ${show(results.scaleWaiting)}/${show(results.scaleLinks)} links waiting on ${show(results.scaleAccounts)} accounts in ${show(results.scaleStartSeconds, 's')}; ` +
        `poll lag p50 ${show(results.scalePollLagP50Ms, 'ms')}, p99 ${show(results.scalePollLagP99Ms, 'ms')} (${show(results.scalePollLagSource)}); ` +
        `pollNow p50 ${show(results.pollNowP50Ms, 'ms')}, p99 ${show(results.pollNowP99Ms, 'ms')}; worker peak RSS ${show(results.scaleWorkerRssMb, 'MiB')}; ` +
        `sticky cache ${show(results.stickyCacheSize)}: ${show(results.cacheEvictionsPerMinute)} evictions, ${show(results.cacheMissesPerMinute)} misses per minute`;
  const actionsLine =
    results.actionsPerLinkWeek1 === null
      ? ''
      : `actions per link per week of waiting: ${show(results.actionsPerLinkWeek1)} (1 link per account), ${show(results.actionsPerLinkWeek10)} (10 per account); ` +
        `events per link per maxPollInterval while waiting: ${show(results.waitingEventsPerLinkPerInterval1)} / ${show(results.waitingEventsPerLinkPerInterval10)}`;
  return [side.toString(), targets.toString(), scaleLine, actionsLine].filter(Boolean).join('\n');
}
