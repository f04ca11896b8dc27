/**
 * `npm run worker` as operators run it: a separate process configured only by environment
 * variables (here the token-service route of DESIGN), stopped by SIGTERM; and bad configuration
 * refused with one line that names the variable.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { WxampLinkClient } from '../client';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { FAST } from './helpers/link-harness';
import { historyText } from './helpers/history-text';
import { waitFor } from './helpers/wait';
import { spawnWorker as startWorker } from './helpers/worker-process';

const workerMain = join(__dirname, '..', 'dist', 'worker', 'main.js');

let simulator: WeChatSimulator;
let tokenService: Server;
let tokenServiceUrl: string;
const tokenRequests: string[] = [];
let connection: Connection;

beforeAll(async () => {
  if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run \`npm run build\` (npm test does it first)`);
  simulator = await startWeChatSimulator();
  // The platform's token service: hands out the account's current token, a fresh one on force_refresh.
  tokenService = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    tokenRequests.push(url.search);
    const appId = url.searchParams.get('appid') ?? '';
    const current = simulator.snapshot().accounts.find((account) => account.appId === appId);
    if (!current) {
      response.writeHead(404).end('{"error":"unknown account"}');
      return;
    }
    const token = url.searchParams.get('force_refresh') === '1' ? simulator.revokeToken(appId).accessToken : liveTokens.get(appId);
    if (token) liveTokens.set(appId, token);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 7200 }));
  });
  await new Promise<void>((resolve) => tokenService.listen(0, '127.0.0.1', resolve));
  tokenServiceUrl = `http://127.0.0.1:${(tokenService.address() as AddressInfo).port}/token`;
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
});

afterAll(async () => {
  await connection?.close();
  await simulator?.close();
  tokenService?.closeAllConnections();
  await new Promise((resolve) => tokenService?.close(resolve));
});

const liveTokens = new Map<string, string>();

describe('the worker process', () => {
  it('links through the token service, refreshes a rejected token once, and stops cleanly on SIGTERM', async () => {
    const oa = `wxoa${randomBytes(8).toString('hex')}`;
    const mp = `wxmp${randomBytes(8).toString('hex')}`;
    liveTokens.set(oa, simulator.registerAccount({ appId: oa }).accessToken);
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const taskQueue = `worker-process-${randomBytes(4).toString('hex')}`;
    const worker = await startWorker({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: simulator.baseUrl,
      WECHAT_TOKEN_URL: tokenServiceUrl,
    });
    try {
      await worker.ready();
      const links = new WxampLinkClient({ client: new Client({ connection }), taskQueue });
      const handle = await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(() => simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
      // WeChat invalidates the token (e.g. another process refreshed it): the next call gets 40001.
      simulator.revokeToken(oa);

      const result = await handle.result();
      expect(result.outcome).toBe('linked');
      expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
      expect(tokenRequests.filter((q) => q.includes(`appid=${oa}`) && q.includes('force_refresh=1'))).toHaveLength(1);
      expect(simulator.calls().filter((call) => call.errcode === 40001)).toHaveLength(1);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('wxamp-link worker: stopped');
    for (const token of liveTokens.values()) expect(worker.output()).not.toContain(token);
  });

  it('keeps the credentials of WECHAT_TOKEN_URL and WECHAT_API_BASE_URL out of its startup line, its logs and the history', async () => {
    const apiKey = 'S3cr3tKeyOfTheTokenService0123456789';
    const gatewayPassword = 'GatewayPassw0rd0123456789';
    const unknown = `wxoa${randomBytes(8).toString('hex')}`;
    const taskQueue = `worker-process-${randomBytes(4).toString('hex')}`;
    const worker = await startWorker({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
      WXAMP_TASK_QUEUE: taskQueue,
      WXAMP_LOG_LEVEL: 'DEBUG',
      WECHAT_API_BASE_URL: simulator.baseUrl.replace('http://', `http://gateway:${gatewayPassword}@`),
      WECHAT_TOKEN_URL: `${tokenServiceUrl}?apikey=${apiKey}`,
    });
    try {
      await worker.ready();
      expect(worker.output()).toMatch(/WeChat API http:\/\/gateway:\[REDACTED\]@127\.0\.0\.1/);
      const links = new WxampLinkClient({ client: new Client({ connection }), taskQueue });
      // The token service does not know this account: every call fails with the URL in the message.
      const handle = await links.link({ officialAccountAppId: unknown, miniProgramAppId: `wxmp${randomBytes(8).toString('hex')}`, ...FAST, timeout: '2s' });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'timed_out', lastError: { type: 'AccessTokenUnavailable' } });
      expect(result.lastError?.message).toContain('apikey=[REDACTED]');
      const history = await historyText(new Client({ connection }), handle.workflowId);
      for (const text of [worker.output(), history, JSON.stringify(result)]) {
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain(gatewayPassword);
      }
    } finally {
      await worker.stop();
    }
  });

  it.each([
    [{ WECHAT_ACCESS_TOKENS: '{"wx1": "tok' }, /^wxamp-link worker: WECHAT_ACCESS_TOKENS: is not valid JSON/],
    [{ WECHAT_ACCESS_TOKENS: '{"wx1": 5}' }, /^wxamp-link worker: WECHAT_ACCESS_TOKENS: the token for wx1 must be a non-empty string/],
    [{}, /^wxamp-link worker: No access-token source: set WECHAT_ACCESS_TOKEN, WECHAT_ACCESS_TOKENS or WECHAT_TOKEN_URL/],
    [{ WECHAT_ACCESS_TOKEN: 'x'.repeat(30), TEMPORAL_ADDRESS: 'http://nowhere' }, /^wxamp-link worker: TEMPORAL_ADDRESS: must be host:port/],
    [{ WECHAT_ACCESS_TOKEN: 'x'.repeat(30), WECHAT_API_BASE_URL: 'ftp://x' }, /^wxamp-link worker: WECHAT_API_BASE_URL: must be an http\(s\) URL/],
    [{ WECHAT_ACCESS_TOKEN: 'x'.repeat(30), WECHAT_HTTP_TIMEOUT: 'soon' }, /^wxamp-link worker: WECHAT_HTTP_TIMEOUT: must be a duration/],
  ])('refuses bad configuration %j with one line naming the variable', async (env, message) => {
    const worker = await startWorker(env);
    expect(await worker.exited).toBe(1);
    const output = worker.output().trim();
    expect(output).toMatch(message);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).not.toContain('x'.repeat(30));
  });
});
