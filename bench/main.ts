/**
 * `npm run bench`: a benchmark (not a test) of the link workflow on a real Temporal dev server
 * and the real HTTP WeChat simulator, time scaled down. In one run it compares ours with a naive
 * baseline at production pace and at one equal pace, counts the actions of waiting links, compares
 * links' start rate with a no-op's and the naive baseline's, holds many links waiting on one worker
 * process, and measures `pollNow`. It prints a table and writes bench/results/latest.json.
 *
 * `--quick` keeps the same phases and keys with smaller numbers (under 5 minutes on 2 cores).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { exitWhenDone, positiveInteger } from './cli-args';
import { DEFAULT_WORKFLOW_BUNDLE } from '../worker/bundle-workflows';
import { startActions, type ActionsRun } from './actions';
import { CallRecorder } from './call-recorder';
import { equalPace, runCompareKind } from './compare-naive';
import { BenchMode, benchParams, describeScale, formatDuration, PRODUCTION, type BenchParams } from './params';
import { LagSourceName } from './poll-lag';
import { progressLog, type Log } from './progress';
import { countTargets, flatten, renderReport, writeResults, type PhaseResults } from './report';
import { runScale } from './scale';
import { startBenchStack } from './stack';
import { runStartRate } from './start-rate';
import { bundleBenchWorkflows } from './workers';

/**
 * The phases, in the order they run (the scale run last: it leaves the most behind). `actions`
 * runs beside compare, equal and start (its few waiting links barely load the machine) and is
 * counted before the scale run begins.
 */
const PHASES = ['compare', 'equal', 'actions', 'start', 'scale'] as const;
type Phase = (typeof PHASES)[number];

/** Where the results go unless `--out` says otherwise (the source folder, not dist/). */
const DEFAULT_OUT = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');

interface CliOptions {
  quick?: boolean;
  address?: string;
  namespace: string;
  seed: number;
  divisor?: number;
  only: Phase[];
  out: string;
  lagSource: LagSourceName;
  workerEnv: Record<string, string>;
  dbOnDisk?: boolean;
  dumpCalls?: string;
}

function phaseList(value: string): Phase[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(PHASES as readonly string[]).includes(name)) throw new InvalidArgumentError(`unknown phase "${name}" (phases: ${PHASES.join(', ')})`);
  }
  return names as Phase[];
}

function envPair(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must be NAME=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function program(): Command {
  return new Command('bench')
    .description('benchmark the link workflow against a naive baseline on a local Temporal dev server and the WeChat simulator')
    .option('--quick', 'smaller numbers, same phases and keys (under 5 minutes)')
    .option('--address <host:port>', 'use this running Temporal server instead of starting a dev server')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--seed <n>', 'seed of every random choice', positiveInteger, 20_251_125)
    .option('--divisor <n>', 'run time this many times faster than production (default 20)', positiveInteger)
    .option('--only <phases>', `run only these phases (${PHASES.join(', ')})`, phaseList, [...PHASES])
    .option('--out <file>', 'where to write the results', DEFAULT_OUT)
    .option('--dump-calls <file>', 'also write every WeChat call the simulator received (time, endpoint, account) as JSON lines')
    .option('--db-on-disk', "keep the dev server's database on disk rather than tmpfs (/dev/shm)")
    .addOption(
      new Option('--lag-source <source>', 'where the headline poll lag comes from').choices(Object.values(LagSourceName)).default(LagSourceName.SimulatorLog),
    )
    .option('--worker-env <NAME=value>', "extra environment for the scale run's worker process (repeatable)", envPair, {});
}

async function run(options: CliOptions): Promise<void> {
  const startedAt = new Date();
  const log = progressLog(startedAt.getTime());
  const params = benchParams(options.quick ? BenchMode.Quick : BenchMode.Full, options.divisor ?? 20, options.seed);
  log(describeScale(params));
  describePlan(params, options.only, log);

  log(options.address ? `connecting to Temporal at ${options.address}` : 'starting a Temporal dev server and the WeChat simulator');
  const stack = await startBenchStack({ address: options.address, namespace: options.namespace, memoryDatabase: !options.dbOnDisk, log });
  const stopOnSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping`);
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const recorder = new CallRecorder(stack.simulator);
  recorder.start();
  const phases: PhaseResults = {};
  const failures: Phase[] = [];
  const database = stack.database;
  try {
    log(
      `Temporal at ${stack.address}${stack.ownServer ? ` (dev server started for this run, database on ${stack.database})` : ''}, simulator at ${stack.simulator.baseUrl}`,
    );
    const bundle = await bundleBenchWorkflows();
    // A phase that fails is reported and skipped: the others' figures still count.
    const phase = async (name: Phase, title: string, body: () => Promise<void>): Promise<void> => {
      if (!options.only.includes(name)) return;
      log(title);
      try {
        await body();
      } catch (error) {
        failures.push(name);
        log(`  ${name} failed, its figures are left out: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    const { compare } = params;
    let actionsRun: ActionsRun | undefined;
    await phase(
      'actions',
      `actions: ${params.actions.singleAccounts} accounts with 1 link and ${params.actions.tenAccounts} with 10 wait at the default intervals beside the next phases`,
      async () => {
        actionsRun = await startActions(stack, params, log);
      },
    );
    await phase(
      'compare',
      `1/4 naive baseline vs ours: ${compare.accounts} accounts × ${compare.linksPerAccount} links, admins act after ${formatDuration(compare.actDelayMs)} + up to 2 × ${formatDuration(compare.actSpreadMs)}`,
      async () => {
        log('  naive baseline: a workflow per link polling every pollInterval');
        const naive = await runCompareKind('naive', stack, recorder, params, bundle, log);
        log(`  naive: ${naive.linked}/${naive.links} linked, ${naive.linkGetCalls} wxamplinkget, ${naive.history.totalEvents} history events`);
        log('  ours: linkMiniProgram through createLinkWorker and WxampLinkClient');
        const ours = await runCompareKind('ours', stack, recorder, params, bundle, log);
        log(`  ours: ${ours.linked}/${ours.links} linked, ${ours.linkGetCalls} wxamplinkget, ${ours.history.totalEvents} history events`);
        Object.assign(phases, { naive, ours });
      },
    );
    await phase(
      'equal',
      `2/4 equal pace: ${compare.accounts} accounts × ${compare.linksPerAccount} links, both kinds polling every ${formatDuration(params.equalPace.intervalMs)}, no back-off`,
      async () => {
        const pace = equalPace(params);
        const naiveEqual = await runCompareKind('naive', stack, recorder, params, bundle, log, pace);
        log(`  naive: ${naiveEqual.linkGetCalls} wxamplinkget, ${naiveEqual.linked}/${naiveEqual.links} linked`);
        const oursEqual = await runCompareKind('ours', stack, recorder, params, bundle, log, pace);
        log(`  ours: ${oursEqual.linkGetCalls} wxamplinkget, ${oursEqual.linked}/${oursEqual.links} linked`);
        Object.assign(phases, { naiveEqual, oursEqual });
      },
    );
    await phase(
      'start',
      `3/4 start rate: ${params.startRate.workflows} no-op workflows, then ${params.startRate.workflows} links, ${params.startRate.concurrency} starts at a time`,
      async () => {
        phases.startRate = await runStartRate(stack, params, bundle, log);
      },
    );
    if (actionsRun) {
      const run = actionsRun;
      await phase('actions', "actions: counting the waiting links' actions from their histories", async () => {
        phases.actions = await run.finish();
      });
    }
    await phase('scale', `4/4 scale: ${params.scale.links} waiting links on ${params.scale.accounts} accounts, one worker process; then pollNow`, async () => {
      phases.scale = await runScale(stack, recorder, params, log, { lagSource: options.lagSource, workerEnv: options.workerEnv });
    });
  } finally {
    recorder.stop();
    await stack.close();
  }
  const wallSeconds = (Date.now() - startedAt.getTime()) / 1_000;
  const workflowBundleKiB = existsSync(DEFAULT_WORKFLOW_BUNDLE) ? statSync(DEFAULT_WORKFLOW_BUNDLE).size / 1_024 : null;
  const results = countTargets(
    flatten(params, phases, { startedAt, wallSeconds, lostCalls: recorder.lost, database, phases: options.only, failedPhases: failures, workflowBundleKiB }),
  );
  writeResults(options.out, results);
  if (options.dumpCalls)
    writeFileSync(
      options.dumpCalls,
      recorder
        .select()
        .map((call) => JSON.stringify(call))
        .join('\n') + '\n',
    );
  console.log(renderReport(results, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR));
  log(
    `done in ${formatDuration(wallSeconds * 1_000)}; ${String(results.targetsMet)} of ${String(results.targetsMeasured)} measured targets met; results in ${options.out}`,
  );
  if (failures.length > 0) {
    log(`phases that failed: ${failures.join(', ')} (see above)`);
    process.exitCode = 1;
  }
  if (recorder.lost > 0) log(`warning: the simulator dropped ${recorder.lost} call records before they were read; call counts are low by that much`);
}

function describePlan(params: BenchParams, only: readonly Phase[], log: Log): void {
  const { compare, scale } = params;
  const lastAct = compare.actDelayMs + 2 * compare.actSpreadMs;
  const scaleDivisor = Math.round(PRODUCTION.maxPollIntervalMs / scale.pollIntervalMs);
  const scalePace =
    scaleDivisor === 1
      ? `scale run at production pace (each account polled every ${formatDuration(scale.pollIntervalMs)})`
      : `scale run scaled 1/${scaleDivisor} (each account polled every ${formatDuration(scale.pollIntervalMs)} instead of 5m)`;
  log(
    `${params.mode} run (${only.join(', ')}): naive vs ours ~${formatDuration(2 * (lastAct + params.maxPollIntervalMs))}; ` +
      `${scalePace}, observed ${formatDuration(scale.observeMs)}`,
  );
}

const command = program();
command.parse();
exitWhenDone(run(command.opts<CliOptions>()));
