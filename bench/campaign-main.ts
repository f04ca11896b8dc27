/**
 * `npm run bench:campaign`: a 10,000-pair campaign against starting the same 10,000 links from a
 * script, on a Temporal dev server of its own and the HTTP simulator (admins confirm at random
 * times after each invitation, a tenth of the mini-program admins refuse). Prints both kinds side
 * by side with ratios and writes bench/results/campaign.json. A benchmark, not a test: CI does not
 * run it. See BENCHMARKS.md, "Campaigns".
 *
 * `--quick` runs 1,000 pairs.
 */
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { exitWhenDone, positiveInteger } from './cli-args';
import { CallRecorder } from './call-recorder';
import { runCampaignKind, type CampaignBenchParams, type CampaignKindResult } from './campaign-bench';
import { progressLog } from './progress';
import { writeResults } from './report';
import { startBenchStack } from './stack';

const DEFAULT_OUT = join(__dirname, '..', '..', 'bench', 'results', 'campaign.json');

interface CliOptions {
  quick?: boolean;
  pairs?: number;
  kindTimeoutMin?: number;
  seed: number;
  out: string;
  dbOnDisk?: boolean;
}

/** The preset: production's intervals scaled down (15 s → 1 s) so that 10,000 pairs end within minutes. */
export function campaignBenchParams(pairs: number): CampaignBenchParams {
  return {
    pairs,
    miniProgramsPerAccount: 10,
    startsPerMinute: 1_200,
    maxInFlight: 200,
    scriptConcurrency: 32,
    linkOptions: { pollInterval: '1s', maxPollInterval: '5s', timeout: '20m' },
    timeoutMs: 60 * 60_000,
  };
}

/** Admins act 1–6 s after the step before (invitation, then the account's confirmation). */
const ADMINS = { minMs: 1_000, maxMs: 6_000, refuseShare: 0.1 } as const;

async function run(options: CliOptions): Promise<void> {
  const startedAt = new Date();
  const log = progressLog(startedAt.getTime());
  const params = campaignBenchParams(options.pairs ?? (options.quick ? 1_000 : 10_000));
  if (options.kindTimeoutMin !== undefined) params.timeoutMs = options.kindTimeoutMin * 60_000;
  log(
    `campaign vs script: ${params.pairs} pairs each (${params.miniProgramsPerAccount} mini programs per account); campaign at ${params.startsPerMinute} starts/min, ` +
      `${params.maxInFlight} in flight; script ${params.scriptConcurrency} starts at a time, no pace; admins act ${ADMINS.minMs / 1_000}–${ADMINS.maxMs / 1_000} s after each step`,
  );
  const stack = await startBenchStack({ memoryDatabase: !options.dbOnDisk, log, simulator: { randomAdmins: { ...ADMINS, seed: options.seed } } });
  const recorder = new CallRecorder(stack.simulator);
  recorder.start();
  const results: CampaignKindResult[] = [];
  try {
    for (const kind of ['campaign', 'script'] as const) {
      log(`${kind}: starting`);
      results.push(await runCampaignKind(kind, stack, recorder, params, options.seed, log));
    }
  } finally {
    recorder.stop();
    await stack.close();
  }
  const [campaign, script] = results as [CampaignKindResult, CampaignKindResult];
  const flat = flatten(campaign, script, params, startedAt);
  writeResults(options.out, flat);
  console.log(renderTable(campaign, script));
  log(`done in ${((Date.now() - startedAt.getTime()) / 60_000).toFixed(1)} min; results in ${options.out}`);
}

type Row = [string, (r: CampaignKindResult) => number, number];

const ROWS: Row[] = [
  ['pairs ended', (r) => r.ended, 0],
  ['wall time (s)', (r) => r.wallSeconds, 1],
  ['WeChat calls, all', (r) => r.calls.total, 0],
  ['  wxamplink', (r) => r.calls.wxamplink, 0],
  ['  wxamplinkget', (r) => r.calls.wxamplinkget, 0],
  ['history events, every workflow', (r) => r.history.totalEvents, 0],
  ['workflow executions (runs)', (r) => r.history.executions, 0],
  ['peak worker RSS (MiB)', (r) => r.workerPeakRssMb, 1],
  ['link starts, busiest minute', (r) => r.startsPerMinuteMax, 0],
  ['link starts per minute, mean', (r) => r.startsPerMinuteMean, 1],
  ['invitations, busiest minute', (r) => r.invitationsPerMinuteMax, 0],
  ['links in flight, most at once', (r) => r.maxInFlight, 0],
];

function renderTable(campaign: CampaignKindResult, script: CampaignKindResult): string {
  const table = new Table({ head: ['', 'campaign', 'script', 'campaign ÷ script'], style: { head: [], border: [] } });
  for (const [label, read, digits] of ROWS) {
    const ours = read(campaign);
    const theirs = read(script);
    table.push([label, ours.toFixed(digits), theirs.toFixed(digits), theirs === 0 ? '—' : (ours / theirs).toFixed(2)]);
  }
  table.push(['outcomes', JSON.stringify(campaign.outcomes), JSON.stringify(script.outcomes), '']);
  return table.toString();
}

function flatten(campaign: CampaignKindResult, script: CampaignKindResult, params: CampaignBenchParams, startedAt: Date): Record<string, string | number> {
  const flat: Record<string, string | number> = {
    pairs: params.pairs,
    campaignStartsPerMinuteSet: params.startsPerMinute,
    campaignMaxInFlightSet: params.maxInFlight,
    scriptConcurrency: params.scriptConcurrency,
    startedAt: startedAt.toISOString(),
    node: process.version,
  };
  for (const r of [campaign, script]) {
    const key = (name: string): string => `${r.kind}${name}`;
    flat[key('Ended')] = r.ended;
    flat[key('WallSeconds')] = Number(r.wallSeconds.toFixed(1));
    flat[key('WeChatCalls')] = r.calls.total;
    flat[key('Wxamplink')] = r.calls.wxamplink;
    flat[key('Wxamplinkget')] = r.calls.wxamplinkget;
    flat[key('HistoryEvents')] = r.history.totalEvents;
    flat[key('Executions')] = r.history.executions;
    flat[key('WorkerPeakRssMb')] = Number(r.workerPeakRssMb.toFixed(1));
    flat[key('StartsPerMinuteMax')] = r.startsPerMinuteMax;
    flat[key('StartsPerMinuteMean')] = Number(r.startsPerMinuteMean.toFixed(1));
    flat[key('InvitationsPerMinuteMax')] = r.invitationsPerMinuteMax;
    flat[key('MaxInFlight')] = r.maxInFlight;
    flat[key('Outcomes')] = JSON.stringify(r.outcomes);
  }
  return flat;
}

const command = new Command('bench:campaign')
  .description('a campaign of many pairs against starting the same links from a script, on a dev server of its own')
  .option('--quick', '1,000 pairs instead of 10,000')
  .option('--pairs <n>', 'how many pairs (overrides --quick)', positiveInteger)
  .option('--seed <n>', 'seed of the admins', positiveInteger, 20_251_130)
  .option('--kind-timeout-min <n>', 'give up on a kind after this many minutes; its figures then count the pairs ended so far (default 60)', positiveInteger)
  .option('--out <file>', 'where to write the results', DEFAULT_OUT)
  .option('--db-on-disk', "keep the dev server's database on disk rather than tmpfs (/dev/shm)");
command.parse();
exitWhenDone(run(command.opts<CliOptions>()));
