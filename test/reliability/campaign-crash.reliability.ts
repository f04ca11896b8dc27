/**
 * A campaign whose worker is killed with SIGKILL twice mid-campaign (once while a batch of starts
 * is under way) and started again: every pair is accounted for, and WeChat accepts at most one
 * invitation per pair. Admins act at random times; a fifth of them refuse.
 *
 * Why the scenario does not query in the first seconds after a kill: a query answered by the new
 * worker while the killed worker's workflow task is still open (until its 10 s time-out) made the
 * SDK build the campaign's cached state with the pending timer fired at the old workflow time. The
 * task that followed sent the same commands as a replay would, but the campaign had skipped one
 * follow of its links (a step that sends nothing), so its count of follows ran one behind; the
 * tenth follow, which looks at every link, then came one loop later than in any replay, and the
 * next worker to replay the history failed it with a nondeterminism error (`TMPRL1100`). Found on
 * 2026-11-30 (2 failures in 2 runs with constant queries, 0 in 3 with this pause); the history's
 * timer durations all matched a fresh replay up to the divergence. It is the SDK's to fix; it is
 * written down in docs/campaigns.md ("Known issue").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from '@temporalio/client';
import type { WxampLinkClient } from '../../client';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import type { CampaignPair, CampaignState } from '../../workflows/campaign/campaign-contract';
import { sleep, waitFor } from '../helpers/wait';
import { reportRow } from './helpers/report';
import { connectLinks, newTaskQueue, scenarioSeed, secondsSince, temporalAddress } from './helpers/suite';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

/**
 * After a kill, nothing queries the campaign until the dead worker's workflow task has timed out
 * (10 s) and a live worker has taken the workflow over. See the note at the top.
 */
const QUIET_AFTER_KILL_MS = 12_000;
const ACCOUNTS = 10;
const MINI_PROGRAMS = 15;

let sim: WeChatSimulator;
let connection: Connection;
let links: WxampLinkClient;
const workers: WorkerProcess[] = [];
const taskQueue = newTaskQueue('campaign-crash');

beforeAll(async () => {
  sim = await startWeChatSimulator({ randomAdmins: { minMs: 200, maxMs: 2_000, refuseShare: 0.2, seed: scenarioSeed('campaign-crash') } });
  ({ connection, links } = await connectLinks(taskQueue));
});
afterAll(async () => {
  for (const worker of workers) await worker.kill9();
  await connection?.close();
  await sim?.close();
});

/** The campaign's state, or null while no worker answers. */
async function stateOrNull(read: () => Promise<CampaignState>): Promise<CampaignState | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** `promise`, or after `ms` an error that says what `diagnose` finds. */
async function withDiagnosis<T>(promise: Promise<T>, ms: number, diagnose: () => Promise<string>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void diagnose().then((what) => reject(new Error(`the campaign did not end in time\n${what}`))), Math.max(1, ms));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('campaign worker crash', () => {
  // It passes alone in about 60 s; it once timed out at 300 s in a full CI-like run and has not
  // since (after the 500-pair campaign: 65 s). Should it hang again, it fails at 240 s with the
  // campaign's state and the worker's last lines, not at jest's time-out with nothing to go on.
  it('150 pairs survive two kill -9 of the worker: every pair accounted for, at most one accepted invitation per pair', async () => {
    const started = Date.now();
    const tokens: Record<string, string> = {};
    const pairs: CampaignPair[] = [];
    const mps = Array.from({ length: MINI_PROGRAMS }, (_, i) => `wxcrashmp${i}`);
    for (let a = 0; a < ACCOUNTS; a++) {
      const account = sim.registerAccount({ appId: `wxcrashoa${a}` });
      tokens[account.appId] = account.accessToken;
      for (const mp of mps) pairs.push({ officialAccountAppId: account.appId, miniProgramAppId: mp });
    }
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: sim.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
      WECHAT_HTTP_TIMEOUT: '3s',
    };
    const startWorker = async (): Promise<void> => {
      const worker = await startWorkerProcess(env);
      workers.push(worker);
      await worker.ready();
    };
    await startWorker();

    const campaign = await links.campaign(
      { pairs, pollInterval: '250ms', maxPollInterval: '1s', timeout: '4m', maxInFlight: 30, startsPerMinute: 1_200, followInterval: '1s' },
      { campaignId: `campaign-crash-${Date.now()}` },
    );
    const read = () => campaign.state();
    // Kill 1: a few links started, more to come (a batch of starts is usually under way).
    await waitFor(async () => ((await stateOrNull(read))?.counts.started ?? 0) >= 20, 'twenty links started', 60_000);
    await workers.at(-1)?.kill9();
    await startWorker();
    await sleep(QUIET_AFTER_KILL_MS);
    // Kill 2: about half the pairs done.
    await waitFor(async () => ((await stateOrNull(read))?.counts.finished ?? 0) >= 70, 'seventy links finished', 120_000);
    await workers.at(-1)?.kill9();
    await startWorker();
    await sleep(QUIET_AFTER_KILL_MS);

    const result = await withDiagnosis(campaign.result(), 240_000 - (Date.now() - started), async () => {
      const state = await stateOrNull(read);
      return `campaign state: ${JSON.stringify(state?.counts ?? null)}; problems ${JSON.stringify(state?.recentProblems ?? null)}\nworker output:\n${workers.at(-1)?.output().slice(-3_000) ?? ''}`;
    });
    const accepted = pairs.map(
      (p) =>
        sim.calls({ endpoint: 'wxamplink', accountAppId: p.officialAccountAppId, miniProgramAppId: p.miniProgramAppId }).filter((c) => c.errcode === 0).length,
    );
    const duplicateSends = accepted.reduce((n, count) => n + Math.max(0, count - 1), 0);
    const outcomes = Object.values(result.counts.byOutcome).reduce((n, count) => n + count, 0);
    reportRow({
      scenario: 'campaign worker crash',
      runs: pairs.length,
      correct: outcomes,
      duplicateSends,
      apiCalls: sim.countCalls(),
      seconds: secondsSince(started),
      note: `outcomes ${JSON.stringify(result.counts.byOutcome)}`,
    });

    expect(result.counts).toMatchObject({ total: 150, finished: 150, skipped: 0, pending: 0, waiting: 0 });
    expect(outcomes).toBe(150);
    expect(result.counts.started + result.counts.joined).toBe(150);
    expect(duplicateSends).toBe(0);
    expect(accepted.every((count) => count === 1)).toBe(true);
    expect(Object.keys(result.counts.byOutcome).sort()).toEqual(expect.arrayContaining(['linked']));
  });
});
