/**
 * Credentials in the configured URLs (an API key in `WECHAT_TOKEN_URL`'s query, user-info in it or
 * in `WECHAT_API_BASE_URL`) reach no failure message, no workflow history and no log line, when
 * the token service fails by answering an error or by not answering at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RoutingTokenProvider, TokenServiceProvider, WeChatClient, type AccessTokenProvider } from '../activities';
import { isWeChatApiError } from '../activities/wechat-api-error';
import { findFreePort } from '../local/free-port';
import { taskQueueHistoryTexts } from './helpers/history-text';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';

const API_KEY = 'S3cr3tKeyOfTheTokenService0123456789';
const PASSWORD = 'TokenServicePassw0rd0123456789';
const LONE_USER = 'tok_UserInfoCredential0123456789';

/** A token service that always answers HTTP 500 (its body quotes nothing). */
let failing: Server;
let failingBase: string;
/** A port nobody listens on: node-fetch's error then quotes the whole URL. */
let closedBase: string;
/** Account appid → the URL its token service is configured with. */
const urls = new Map<string, string>();
let h: LinkHarness;

beforeAll(async () => {
  failing = createServer((_request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error'));
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  failingBase = `127.0.0.1:${(failing.address() as AddressInfo).port}`;
  closedBase = `127.0.0.1:${await findFreePort()}`;
  h = await startLinkHarness({
    tokenProvider: () => {
      const providers = new Map<string, AccessTokenProvider>();
      const provider = (appId: string): AccessTokenProvider => {
        const url = urls.get(appId) ?? '';
        const existing = providers.get(url) ?? new TokenServiceProvider({ url, timeoutMs: 1_000 });
        providers.set(url, existing);
        return existing;
      };
      const route = {
        covers: (appId: string) => urls.has(appId),
        provider: {
          source: 'WECHAT_TOKEN_URL',
          getToken: (a: string) => provider(a).getToken(a),
          invalidate: (a: string, t: string) => provider(a).invalidate(a, t),
        },
      };
      return new RoutingTokenProvider([route], 'not configured');
    },
  });
});
afterAll(async () => {
  await h?.close();
  failing?.closeAllConnections();
  await new Promise((resolve) => failing?.close(resolve));
});

describe('credentials in WECHAT_TOKEN_URL', () => {
  it.each([
    ['an API key, service failing', () => `http://${failingBase}/token?apikey=${API_KEY}`],
    ['an API key, service unreachable', () => `http://${closedBase}/token?apikey=${API_KEY}`],
    ['a password in user-info, service failing', () => `http://ops:${PASSWORD}@${failingBase}/token`],
    ['a password in user-info, service unreachable', () => `http://ops:${PASSWORD}@${closedBase}/token`],
    ['a lone user name in user-info, service unreachable', () => `http://${LONE_USER}@${closedBase}/token?sign=${API_KEY}`],
  ])('%s: the failure says what failed, and no history or log line holds the credential', async (_case, url) => {
    const oa = h.newAccount();
    urls.set(oa, url());
    const logsBefore = h.logs.length;
    const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: h.newMiniProgram(), ...FAST, timeout: '4s' })).result();
    expect(result.outcome).toBe('timed_out');
    expect(result.lastError).toMatchObject({ type: 'AccessTokenUnavailable', message: expect.stringMatching(/^token service http:\/\/.*gave no token for/) });
    expect(result.lastError?.message).toContain('[REDACTED]');
    expect(h.simulator.countCalls({ accountAppId: oa })).toBe(0);

    const histories = (await taskQueueHistoryTexts(h.client, h.taskQueue)).filter((text) => text.includes(oa));
    expect(histories.length).toBeGreaterThan(0);
    const logs = h.logs.slice(logsBefore);
    expect(logs.some((line) => line.includes('AccessTokenUnavailable') || line.includes('gave no token'))).toBe(true);
    for (const text of [JSON.stringify(result), ...histories, ...logs]) {
      for (const secret of [API_KEY, PASSWORD, LONE_USER]) expect(text).not.toContain(secret);
    }
  });
});

describe('credentials in WECHAT_API_BASE_URL', () => {
  it('a failing call quotes the URL without its user-info or key', async () => {
    const port = await findFreePort();
    const client = new WeChatClient({ baseUrl: `http://gw:${PASSWORD}@127.0.0.1:${port}/wechat?key=${API_KEY}`, timeoutMs: 1_000 });
    const error = await client.post('/cgi-bin/wxopen/wxamplinkget', 'ACCESS-TOKEN-0123456789', {}).catch((e: unknown) => e);
    expect(isWeChatApiError(error)).toBe(true);
    if (!isWeChatApiError(error)) return;
    expect(error.redactedUrl).toBe(`http://gw:[REDACTED]@127.0.0.1:${port}/wechat/cgi-bin/wxopen/wxamplinkget?key=[REDACTED]&access_token=[REDACTED]`);
    const everything = [error.message, error.stack, error.redactedUrl, String(error.cause), (error.cause as Error).stack].join('\n');
    for (const secret of [API_KEY, PASSWORD, 'ACCESS-TOKEN-0123456789']) expect(everything).not.toContain(secret);
  });
});
