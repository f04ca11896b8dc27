/**
 * What one cached workflow costs the worker process in memory, per workflow bundle: every cached
 * workflow evaluates the bundle's modules again, so whatever workflow code imports is paid once
 * per cached workflow, not once per process.
 *
 * For each bundle given (`--bundle label=path`, default the one `npm run build` made), on a Temporal
 * dev server of its own and the WeChat simulator: starts our worker process (`node
 * dist/worker/main.js`, that bundle through WXAMP_WORKFLOW_BUNDLE, a sticky cache larger than
 * everything started), warms it up with a few links, reads its RSS, starts N more links whose
 * admins never act (they wait, each polling rarely), reads its RSS again, and divides the growth
 * by the workflows it added to the cache (the links and one watcher per new account).
 *
 *   node dist/bench/cached-workflow-cost.js --links 300 --bundle before=/tmp/old.js --bundle after=dist/workflow-bundle.js
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { exitWhenDone, positiveInteger } from './cli-args';
import { WxampLinkClient } from '../client';
import { DEFAULT_WORKFLOW_BUNDLE } from '../worker/bundle-workflows';
import { LinkPhase } from '../workflows/contract';
import { mapConcurrent } from './concurrency';
import { planPopulation, registerPopulation, type PlannedLink } from './population';
import { progressLog, sleep, type Log } from './progress';
import { startBenchStack, type BenchStack } from './stack';
import { terminateLeftovers } from './start-rate';
import { startTokenService } from './token-service';
import { statusQuery, waitForCount } from './visibility';
import { phaseTaskQueue } from './workers';
import { freePort, stickyCacheCounters } from './worker-metrics';
import { benchWorkerEnv, spawnMeasuredWorker, type MeasuredWorker } from './worker-process';

interface CliOptions {
  links: number;
  accounts: number;
  warmup: number;
  settleMs: number;
  bundle: Array<{ label: string; path: string }>;
  address?: string;
}

/** What one bundle cost. */
interface BundleCost {
  label: string;
  bundleKib: number;
  /** RSS once the worker polls, before any workflow. */
  idleRssMb: number;
  /** RSS with the warm-up links cached. */
  warmRssMb: number;
  /** RSS with every link cached. */
  loadedRssMb: number;
  /** Workflows added to the cache between the two readings: links and their accounts' watchers. */
  addedWorkflows: number;
  /** The sticky cache's size as the worker reports it (Prometheus), when it does. */
  stickyCacheSize: number | null;
  perCachedWorkflowMb: number;
}

function bundleArg(value: string, previous: CliOptions['bundle']): CliOptions['bundle'] {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must be label=path');
  return [...previous, { label: value.slice(0, at), path: value.slice(at + 1) }];
}

/** The median of a few RSS readings a few hundred ms apart: one reading may catch a GC half done. */
async function settledRssMb(pid: number, settleMs: number): Promise<number> {
  await sleep(settleMs);
  const readings: number[] = [];
  for (let i = 0; i < 7; i++) {
    readings.push(rssKb(pid) / 1_024);
    await sleep(300);
  }
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)] ?? Number.NaN;
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
}

/** Starts `links` and waits until `expectWaiting` links of the task queue count as waiting. */
async function startWaiting(
  stack: BenchStack,
  links: WxampLinkClient,
  taskQueue: string,
  planned: readonly PlannedLink[],
  expectWaiting: number,
  log: Log,
): Promise<void> {
  await mapConcurrent(planned, 10, (link) =>
    // Rare polls: the links sit in the cache instead of waking up during the measurement.
    links.link({ officialAccountAppId: link.officialAccountAppId, miniProgramAppId: link.miniProgramAppId, pollInterval: '10m', maxPollInterval: '10m' }),
  );
  const reached = await waitForCount(stack.client, statusQuery(taskQueue, LinkPhase.Waiting), expectWaiting, { timeoutMs: 300_000, everyMs: 500 });
  if (reached.count < expectWaiting) throw new Error(`only ${reached.count}/${expectWaiting} links reached waiting`);
  log(`  ${reached.count} links waiting`);
}

async function measureBundle(stack: BenchStack, options: CliOptions, index: number, label: string, path: string, log: Log): Promise<BundleCost> {
  const bundleKib = Buffer.byteLength(readFileSync(path)) / 1_024;
  const warm = planPopulation(`cwc${index}w`, { accounts: 1, linksPerAccount: options.warmup }, null, 1);
  const load = planPopulation(`cwc${index}l`, { accounts: options.accounts, linksPerAccount: Math.ceil(options.links / options.accounts) }, null, 1);
  load.links.splice(options.links);
  registerPopulation(stack.simulator, warm);
  registerPopulation(stack.simulator, load);
  const tokenService = await startTokenService(new Map([...warm.tokens, ...load.tokens]));
  const taskQueue = phaseTaskQueue(`cwc-${label}`);
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const worker: MeasuredWorker = await spawnMeasuredWorker({
    ...benchWorkerEnv(stack, taskQueue, tokenService.url),
    WXAMP_WORKFLOW_BUNDLE: path,
    WXAMP_METRICS_ADDRESS: metricsAddress,
    // Room for everything started, so that nothing is evicted while it is measured.
    WXAMP_MAX_CACHED_WORKFLOWS: String(4 * (options.warmup + options.links + options.accounts + 1)),
  });
  try {
    await worker.ready(60_000);
    const idleRssMb = await settledRssMb(worker.pid, 1_000);
    log(`${label}: ${path} (${bundleKib.toFixed(0)} KiB); worker ${worker.pid} idle at ${idleRssMb.toFixed(1)} MiB; ${options.warmup} warm-up links`);
    const links = new WxampLinkClient({ client: stack.client, taskQueue });
    await startWaiting(stack, links, taskQueue, warm.links, warm.links.length, log);
    const warmRssMb = await settledRssMb(worker.pid, options.settleMs);
    log(`  warm: ${warmRssMb.toFixed(1)} MiB; starting ${load.links.length} links on ${options.accounts} accounts`);
    await startWaiting(stack, links, taskQueue, load.links, warm.links.length + load.links.length, log);
    const loadedRssMb = await settledRssMb(worker.pid, options.settleMs);
    const addedWorkflows = load.links.length + options.accounts;
    const cached = (await stickyCacheCounters(metricsAddress))?.size ?? null;
    const perCachedWorkflowMb = (loadedRssMb - warmRssMb) / addedWorkflows;
    log(`  loaded: ${loadedRssMb.toFixed(1)} MiB, sticky cache ${cached ?? '?'}; ${perCachedWorkflowMb.toFixed(3)} MiB per cached workflow`);
    return { label, bundleKib, idleRssMb, warmRssMb, loadedRssMb, addedWorkflows, stickyCacheSize: cached, perCachedWorkflowMb };
  } finally {
    await worker.stop();
    await tokenService.close();
    await terminateLeftovers(stack, [taskQueue], log);
  }
}

async function run(options: CliOptions): Promise<void> {
  const log = progressLog(Date.now());
  const bundles = options.bundle.length > 0 ? options.bundle : [{ label: 'current', path: DEFAULT_WORKFLOW_BUNDLE }];
  const stack = await startBenchStack({ address: options.address, log });
  const costs: BundleCost[] = [];
  try {
    for (const [index, { label, path }] of bundles.entries()) costs.push(await measureBundle(stack, options, index, label, path, log));
  } finally {
    await stack.close();
  }
  console.log('\nbundle          KiB   idle MiB  warm MiB  loaded MiB  added  cache  MiB/cached workflow');
  for (const c of costs) {
    console.log(
      `${c.label.padEnd(12)} ${c.bundleKib.toFixed(0).padStart(6)} ${c.idleRssMb.toFixed(1).padStart(10)} ${c.warmRssMb.toFixed(1).padStart(9)} ${c.loadedRssMb.toFixed(1).padStart(11)} ${String(c.addedWorkflows).padStart(6)} ${String(c.stickyCacheSize ?? '?').padStart(6)} ${c.perCachedWorkflowMb.toFixed(3).padStart(20)}`,
    );
  }
  console.log(JSON.stringify(costs));
}

const command = new Command('cached-workflow-cost')
  .description("measure the worker process's RSS per cached workflow, for each workflow bundle given")
  .option('--links <n>', 'links to hold waiting (cached) per bundle', positiveInteger, 300)
  .option('--accounts <n>', 'official accounts they are spread over (one watcher workflow each)', positiveInteger, 10)
  .option('--warmup <n>', 'links started before the first reading, to leave one-time costs out', positiveInteger, 20)
  .option('--settle-ms <n>', 'wait this long before reading the RSS', positiveInteger, 5_000)
  .option('--bundle <label=path>', 'a workflow bundle to measure (repeatable; default the built one)', bundleArg, [])
  .option('--address <host:port>', 'use this running Temporal server instead of starting a dev server');
command.parse();
exitWhenDone(run(command.opts<CliOptions>()));
