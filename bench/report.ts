/**
 * The bench's figures: one flat record (written as bench/results/latest.json, every value a
 * number, string, boolean or null), the targets each headline figure is held to, and the table
 * printed at the end (ours beside the baseline, with ratios, then figures against targets).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import picocolors from 'picocolors';
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
  startRate?: StartRateResult;
  scale?: ScaleResult;
}

/** A headline figure's target. */
export interface Target {
  key: string;
  op: '≤' | '≥' | '<';
  value: number;
  unit: string;
}

/** The targets, in the order they are printed. */
export const TARGETS: readonly Target[] = [
  { key: 'callsRatioVsNaive', op: '≤', value: 0.1, unit: '' },
  { key: 'callsPerAccountPerInterval', op: '≤', value: 1.05, unit: '' },
  { key: 'actionsRatioVsNaive', op: '≤', value: 0.2, unit: '' },
  { key: 'detectionP99OverIntervalMs', op: '≤', value: 1_000, unit: 'ms' },
  { key: 'pollNowP99Ms', op: '≤', value: 1_000, unit: 'ms' },
  { key: 'startRatioVsNoop', op: '≥', value: 0.8, unit: '' },
  { key: 'scaleWorkerRssMb', op: '≤', value: 512, unit: 'MiB' },
  { key: 'scalePollLagP99Ms', op: '≤', value: 2_000, unit: 'ms' },
  { key: 'maxHistoryEvents', op: '<', value: 10_240, unit: '' },
];

/** Whether `value` meets `target`; null when there is no value. */
export function meets(target: Target, value: FlatValue | undefined): boolean | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (target.op === '≤') return value <= target.value;
  if (target.op === '≥') return value >= target.value;
  return value < target.value;
}

const ratio = (ours: number, base: number): number | null => (base > 0 ? round(ours / base, 3) : null);
const round = (n: number, digits = 0): number | null => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

/** Turns the phases' results into the flat record (headline keys first, then the detail). */
export function flatten(params: BenchParams, phases: PhaseResults, meta: { startedAt: Date; wallSeconds: number; lostCalls: number; database: string; phases: readonly string[]; failedPhases: readonly string[] }): FlatResults {
  const { naive, ours, startRate, scale } = phases;
  const perInterval = (run: KindRun): number => run.elapsedMs / params.pollIntervalMs;
  const callsPerAccount = (run: KindRun): number => run.linkGetCalls / (run.accounts * perInterval(run));
  const eventsPerLink = (run: KindRun): number => run.history.totalEvents / (run.links * perInterval(run));
  const detection = ours && spread(ours.detection.overIntervalMs);
  const historyMaxes = [naive?.history, ours?.history, scale?.history].filter((h) => h !== undefined);
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
      [`${prefix}HistoryEventsByType`]: Object.entries(run.history.byType).map(([type, h]) => `${type}=${h.events} (${h.executions} runs)`).join(', '),
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
    scaleStarted: scale ? scale.started : null,
    scaleWaiting: scale ? scale.waiting : null,
    scaleRssCapMb: params.scale.rssCapMb,
    scaleRssCapped: scale ? scale.rssCapped : null,
    scaleStartSeconds: scale ? round(scale.startSeconds, 1) : null,
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
  const verdicts = TARGETS.map((t) => meets(t, results[t.key]));
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

  const targets = new Table({ head: ['figure', 'value', 'target', ''].map((h) => c.bold(h)), ...style });
  for (const target of TARGETS) {
    const verdict = meets(target, results[target.key]);
    targets.push([
      target.key,
      show(results[target.key], target.unit),
      `${target.op} ${target.value}${target.unit ? ` ${target.unit}` : ''}`,
      verdict === null ? c.dim('not measured') : verdict ? c.green('✔ met') : c.red('✘ missed'),
    ]);
  }
  const scaleLine =
    results.scaleLinks === null
      ? ''
      : `scale: ${show(results.scaleWaiting)}/${show(results.scaleLinks)} links waiting on ${show(results.scaleAccounts)} accounts in ${show(results.scaleStartSeconds, 's')}; ` +
        `poll lag p50 ${show(results.scalePollLagP50Ms, 'ms')}, p99 ${show(results.scalePollLagP99Ms, 'ms')} (${show(results.scalePollLagSource)}); ` +
        `pollNow p50 ${show(results.pollNowP50Ms, 'ms')}, p99 ${show(results.pollNowP99Ms, 'ms')}; worker peak RSS ${show(results.scaleWorkerRssMb, 'MiB')}`;
  return [side.toString(), targets.toString(), scaleLine].filter(Boolean).join('\n');
}
