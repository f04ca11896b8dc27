/**
 * A fleet: three real worker processes (`node dist/worker/main.js`) on one task queue, sharing
 * tokens through a real redis-server. With two-second tokens, each account's token is refreshed
 * once per expiry however many processes need it: one with its own secret (stable_token), one
 * authorized to a third-party platform (whose rotated refresh token lands back in Redis). Nothing
 * the simulator issued appears in the workers' output or in any history.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type Redis from 'ioredis';
import { refreshTokenKey, verifyTicketKey } from '../activities';
import { WxampLinkClient } from '../client';
import { startWeChatSimulator, type CallRecord, type WeChatSimulator } from '../simulator';
import { FAST } from './helpers/link-harness';
import { historyText } from './helpers/history-text';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { spawnWorker as startWorker } from './helpers/worker-process';

const workerMain = join(__dirname, '..', 'dist', 'worker', 'main.js');
const LIFETIME_MS = 2_000;

let redis: RedisServer;
let callbackService: Redis;
let simulator: WeChatSimulator;
let connection: Connection;

beforeAll(async () => {
  if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run \`npm run build\` (npm test does it first)`);
  redis = await startRedisServer();
  callbackService = redis.client();
  // Every refresh issues a new token (the early-refresh window covers the whole lifetime), the
  // old one working one more second; every authorizer refresh rotates the refresh token.
  simulator = await startWeChatSimulator({ tokenPolicy: { lifetimeMs: LIFETIME_MS, earlyRefreshMs: LIFETIME_MS, graceMs: 1_000, rotateRefreshTokens: true } });
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
});

afterAll(async () => {
  await connection?.close();
  await simulator?.close();
  await callbackService?.quit().catch(() => undefined);
  await redis?.stop();
});

/** Milliseconds between consecutive calls. */
const gaps = (calls: CallRecord[]): number[] => calls.slice(1).map((c, i) => Date.parse(c.at) - Date.parse(calls[i]?.at ?? c.at));

describe('three worker processes sharing Redis', () => {
  it('refresh each account once per expiry, persist rotated refresh tokens, and leak nothing', async () => {
    const id = () => randomBytes(8).toString('hex');
    const prefix = `fleet-${id()}:`;
    const own = `wxoa${id()}`;
    const ownSecret = randomBytes(16).toString('hex');
    simulator.registerAccount({ appId: own, appSecret: ownSecret });
    const component = `wxcomp${id()}`;
    const { componentAppSecret } = simulator.registerComponent({ componentAppId: component });
    const authorized = `wxoa${id()}`;
    const { authorizerRefreshToken } = simulator.authorizeAccount({ componentAppId: component, authorizerAppId: authorized });
    // The platform's callback service writes what WeChat pushed and what the authorization gave.
    await callbackService.set(verifyTicketKey(component, prefix), simulator.pushComponentTicket(component));
    await callbackService.set(refreshTokenKey(authorized, prefix), authorizerRefreshToken);

    const taskQueue = `fleet-${id()}`;
    const env = {
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: simulator.baseUrl,
      WECHAT_APP_SECRETS: JSON.stringify({ [own]: ownSecret }),
      WECHAT_COMPONENT_APPID: component,
      WECHAT_COMPONENT_APPSECRET: componentAppSecret,
      WECHAT_TOKEN_REDIS_URL: redis.url,
      WECHAT_TOKEN_REDIS_PREFIX: prefix,
    };
    const workers = await Promise.all([startWorker(env), startWorker(env), startWorker(env)]);
    try {
      for (const worker of workers) await worker.ready();
      const client = new Client({ connection });
      const links = new WxampLinkClient({ client, taskQueue });
      // The admins take about five seconds: two-second tokens are renewed (half-way) four or five times.
      const script = [
        { afterMs: 2_500, then: 2 },
        { afterMs: 2_500, then: 1 },
      ];
      const handles = [];
      for (let i = 0; i < 4; i++) {
        for (const oa of [own, authorized]) {
          const mp = `wxmp${id()}`;
          simulator.scriptLink(oa, mp, script);
          handles.push(await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST }));
        }
      }
      const started = Date.now();
      const results = await Promise.all(handles.map((h) => h.result()));
      const elapsedMs = Date.now() - started;
      expect(results.map((r) => r.outcome)).toEqual(Array(8).fill('linked'));

      // One refresh per expiry: refreshes never come closer than most of a half-lifetime apart,
      // and there are no more of them than half-lifetimes elapsed (plus the first fetch).
      const maxRefreshes = Math.ceil(elapsedMs / (LIFETIME_MS / 2)) + 2;
      for (const calls of [
        simulator.calls({ endpoint: 'stable_token', accountAppId: own }),
        simulator.calls({ endpoint: 'api_authorizer_token', accountAppId: authorized }),
      ]) {
        // The first fetch and at least one refresh (the workers' own 5 s floor spaces the polls, so
        // a loaded run may need only one refresh: it once saw two calls where three were usual).
        expect(calls.length).toBeGreaterThanOrEqual(2);
        expect(calls.length).toBeLessThanOrEqual(maxRefreshes);
        expect(calls.every((c) => c.errcode === 0)).toBe(true);
        for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(LIFETIME_MS / 2 - 200);
      }
      // No process threw away a token another one was using: no link call was refused a token.
      const refused = simulator.calls().filter((c) => c.errcode === 40001 || c.errcode === 42001);
      expect(refused).toEqual([]);
      // The last rotated refresh token is in Redis, where the next refresh will read it.
      expect(await callbackService.get(refreshTokenKey(authorized, prefix))).toBe(
        simulator
          .secretsIssued()
          .filter((s) => s.startsWith('refreshtoken@@@'))
          .at(-1),
      );

      // All three processes did the work (the identities that started activities).
      const identities = new Set<string>();
      const issued = [...simulator.secretsIssued(), ownSecret, componentAppSecret];
      for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
        const text = await historyText(client, execution.workflowId, execution.runId);
        for (const secret of issued) expect(text).not.toContain(secret);
        for (const match of text.matchAll(/"activityTaskStartedEventAttributes":\{[^}]*"identity":"([^"]+)"/g)) if (match[1]) identities.add(match[1]);
      }
      expect(identities.size).toBe(3);
      for (const worker of workers) for (const secret of issued) expect(worker.output()).not.toContain(secret);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
    }
    for (const worker of workers) expect(await worker.exited).toBe(0);
  });
});
