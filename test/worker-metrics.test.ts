/**
 * Metrics as Prometheus sees them: a real worker process with `WXAMP_METRICS_ADDRESS` runs links
 * to every kind of end (linked, refused, already linked, timed out on 45009, unlinked), through
 * a transient fault and a rejected token; then `/metrics` is scraped and every `wxamp_*` count is
 * checked against what the simulator and the token service saw. The same run checks the JSON
 * log format: one object per line, with the workflow's ids, and no token anywhere.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { WxampLinkClient, type LinkResult, type UnlinkResult } from '../client';
import { findFreePort } from '../local/free-port';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { FAST } from './helpers/link-harness';
import { labelValues, scrape, total, type Sample } from './helpers/prometheus';
import { waitFor } from './helpers/wait';
import { spawnWorker, type SpawnedWorker } from './helpers/worker-process';

let simulator: WeChatSimulator;
let tokenService: Server;
/** Every request the token service got, as its query string. */
const tokenRequests: string[] = [];
const liveTokens = new Map<string, string>();
let connection: Connection;
let worker: SpawnedWorker;
let metricsUrl: string;
let links: WxampLinkClient;
const taskQueue = `metrics-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  simulator = await startWeChatSimulator();
  tokenService = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    tokenRequests.push(url.search);
    const appId = url.searchParams.get('appid') ?? '';
    const token = url.searchParams.get('force_refresh') === '1' ? simulator.revokeToken(appId).accessToken : liveTokens.get(appId);
    if (token) liveTokens.set(appId, token);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 7200 }));
  });
  await new Promise<void>((resolve) => tokenService.listen(0, '127.0.0.1', resolve));
  const metricsPort = await findFreePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  worker = await spawnWorker({
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
    WXAMP_TASK_QUEUE: taskQueue,
    WECHAT_API_BASE_URL: simulator.baseUrl,
    WECHAT_TOKEN_URL: `http://127.0.0.1:${(tokenService.address() as AddressInfo).port}/token`,
    WXAMP_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    WXAMP_LOG_FORMAT: 'json',
    WXAMP_SHUTDOWN_GRACE: '2s',
  });
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
  links = new WxampLinkClient({ client: new Client({ connection }), taskQueue });
  await worker.ready();
});

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await simulator?.close();
  tokenService?.closeAllConnections();
  await new Promise((resolve) => tokenService?.close(resolve));
});

function newAccount(): string {
  const appId = `wxoa${randomBytes(8).toString('hex')}`;
  liveTokens.set(appId, simulator.registerAccount({ appId }).accessToken);
  return appId;
}
const newMiniProgram = (): string => `wxmp${randomBytes(8).toString('hex')}`;

describe('the worker process with WXAMP_METRICS_ADDRESS', () => {
  it('serves wxamp_* metrics that match what the simulator and the token service counted', async () => {
    // Counted from here: whatever another test of this file did before is not this test's.
    const baseline = (await scrape(metricsUrl)).samples;
    const callsBefore = simulator.calls().length;
    const tokenRequestsBefore = tokenRequests.length;
    const oa = newAccount();
    const other = newAccount();
    const [mpLinked, mpRetried, mpRefused, mpAlready, mpQuota] = [1, 2, 3, 4, 5].map(newMiniProgram) as [string, string, string, string, string];
    simulator.scriptLink(oa, mpLinked, AUTO_CONFIRM_SCRIPT);
    simulator.scriptLink(other, mpRetried, AUTO_CONFIRM_SCRIPT);
    simulator.injectFault({ accountAppId: other, endpoint: 'wxamplink', miniProgramAppId: mpRetried, errcode: -1, errmsg: 'system error' });
    simulator.configureMiniProgram(mpRefused, { linkErrcode: 89013 });
    simulator.seedEntry(other, mpAlready, { status: 1 });
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', miniProgramAppId: mpQuota, errcode: 45009, errmsg: 'reach max api daily quota limit' });

    const link = async (account: string, mp: string, extra: Record<string, unknown> = {}): Promise<LinkResult> =>
      (await links.link({ officialAccountAppId: account, miniProgramAppId: mp, ...FAST, ...extra })).result();
    const results: Array<LinkResult | UnlinkResult> = [];
    results.push(await link(oa, mpLinked));
    // WeChat invalidates the account's token (someone refreshed it): the next call gets 40001,
    // the worker asks the token service again with force_refresh=1.
    simulator.revokeToken(other);
    results.push(...(await Promise.all([link(other, mpRetried), link(oa, mpRefused), link(other, mpAlready), link(oa, mpQuota, { timeout: '1500ms' })])));
    simulator.scriptUnlink(oa, mpLinked, { afterPolls: 1 });
    results.push(await (await links.unlink({ officialAccountAppId: oa, miniProgramAppId: mpLinked, ...FAST })).result());
    expect(results.map((r) => r.outcome)).toEqual(['linked', 'linked', 'refused', 'already_linked', 'timed_out', 'unlinked']);

    const expected = {
      started: { link: 5, unlink: 1 },
      completed: { linked: 2, refused: 1, already_linked: 1, timed_out: 1, unlinked: 1 },
      polls: { link: sumPolls(results.slice(0, 5)), unlink: sumPolls(results.slice(5)) },
    };
    // Workflow metrics leave the sandbox at the end of each activation: wait for the last ones.
    let samples: Sample[] = [];
    const count = (name: string, labels: Record<string, string> = {}): number => total(samples, name, labels) - total(baseline, name, labels);
    let text = '';
    await waitFor(
      async () => {
        ({ samples, text } = await scrape(metricsUrl));
        return count('wxamp_links_completed') === 6 && count('wxamp_link_polls') === expected.polls.link + expected.polls.unlink;
      },
      'every outcome in /metrics',
      10_000,
    );
    const mine = { taskQueue, namespace: 'default' };

    // Links started and completed, by kind and outcome; one duration per outcome.
    for (const [kind, n] of Object.entries(expected.started)) expect(count('wxamp_links_started', { ...mine, kind })).toBe(n);
    for (const [outcome, n] of Object.entries(expected.completed)) {
      expect(count('wxamp_links_completed', { ...mine, outcome })).toBe(n);
      expect(count('wxamp_link_duration_seconds_count', { ...mine, outcome })).toBe(n);
    }
    expect(count('wxamp_links_completed', { kind: 'unlink', outcome: 'unlinked' })).toBe(1);
    expect(count('wxamp_link_duration_seconds_bucket', { outcome: 'timed_out', le: '1' })).toBe(0);
    expect(count('wxamp_link_duration_seconds_bucket', { outcome: 'timed_out', le: '5' })).toBe(1);
    for (const [kind, polls] of Object.entries(expected.polls)) expect(count('wxamp_link_polls', { ...mine, kind })).toBe(polls);

    // Every WeChat call the simulator answered, by endpoint and errcode (none were coalesced away
    // from the metric: one request, one count, however many activities shared it).
    const calls = simulator.calls().slice(callsBefore);
    const seen = new Map<string, number>();
    for (const call of calls) {
      const key = `${call.endpoint} ${call.errcode ?? 'none'}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const counted = new Map<string, number>();
    for (const [sign, from] of [
      [1, samples],
      [-1, baseline],
    ] as const) {
      for (const s of from.filter((s) => s.name === 'wxamp_wechat_calls')) {
        const key = `${s.labels.endpoint} ${s.labels.errcode}`;
        counted.set(key, (counted.get(key) ?? 0) + sign * s.value);
      }
    }
    for (const [key, value] of counted) if (value === 0) counted.delete(key);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(seen));
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining(['wxamplink -1', 'wxamplink 45009', 'wxamplink 89013', 'wxamplink 89015', 'wxamplinkget 40001', 'wxampunlink 0']),
    );
    expect(count('wxamp_wechat_call_duration_seconds_count')).toBe(calls.length);
    expect(labelValues(samples, 'wxamp_wechat_calls', 'result')).toEqual(['errcode', 'ok']);

    // Token fetches: one per account, and one forced refresh after the 40001.
    expect(count('wxamp_token_fetches', { source: 'token_service', forced: 'false', result: 'ok' })).toBe(
      tokenRequests.slice(tokenRequestsBefore).filter((q) => !q.includes('force_refresh=1')).length,
    );
    expect(count('wxamp_token_fetches', { source: 'token_service', forced: 'true', result: 'ok' })).toBe(1);
    expect(tokenRequests.slice(tokenRequestsBefore)).toHaveLength(3);

    // The SDK's own metrics are on the same page.
    expect(count('temporal_workflow_completed', { task_queue: taskQueue, workflow_type: 'linkMiniProgram' })).toBe(5);
    expect(count('temporal_workflow_completed', { task_queue: taskQueue, workflow_type: 'unlinkMiniProgram' })).toBe(1);
    expect(count('temporal_activity_schedule_to_start_latency_count', { task_queue: taskQueue })).toBeGreaterThan(0);

    // Kept for the deployment guide's sample scrape.
    mkdirSync(join(__dirname, '..', 'test-artifacts'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'test-artifacts', 'metrics-scrape.txt'), text);
  });

  it('logs one JSON object per line with the workflow and run ids, and never a token', async () => {
    // A link of its own whose first send fails with -1: the activity's warning is the line to check.
    const oa = newAccount();
    const mp = newMiniProgram();
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', miniProgramAppId: mp, errcode: -1, errmsg: 'system error' });
    const handle = await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    expect((await handle.result()).outcome).toBe('linked');
    const failureOf = (entries: Array<Record<string, unknown>>) =>
      entries.find((e) => e.message === 'WeChat call failed' && e.errcode === -1 && e.workflowId === handle.workflowId);
    const parsed = (): Array<Record<string, unknown>> =>
      worker
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The worker writes its log lines asynchronously: wait for the one this link caused.
    await waitFor(() => failureOf(parsed()) !== undefined, 'the warning of the failed send', 10_000);
    const entries = parsed();
    expect(entries.every((e) => typeof e.time === 'string' && typeof e.level === 'string' && typeof e.message === 'string')).toBe(true);
    expect(entries.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^wxamp-link worker: task queue/)]));
    // The -1 on the retried link: an activity's warning, with the ids of its workflow and run.
    const failure = failureOf(entries);
    expect(failure).toMatchObject({ level: 'WARN', sdkComponent: 'activity', activityType: 'sendLinkInvitation', taskQueue });
    expect(failure?.workflowId).toBe(`wxamp-link/${oa}/${mp}`);
    expect(failure?.workflowRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure?.url).toMatch(/access_token=\[REDACTED\]/);
    expect(failure).not.toHaveProperty('taskToken');
    for (const token of liveTokens.values()) expect(worker.output()).not.toContain(token);
    mkdirSync(join(__dirname, '..', 'test-artifacts'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'test-artifacts', 'worker-json-log.txt'), worker.output());
  });
});

function sumPolls(results: ReadonlyArray<LinkResult | UnlinkResult>): number {
  return results.reduce((sum, r) => sum + r.polls, 0);
}
