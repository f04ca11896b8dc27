/**
 * Odd answers over real HTTP: a garbled errcode and an oversize (or endless) body are retryable
 * failures with a clear message, from the WeChat client, WeChat's token endpoints and the
 * platform's token service alike; never a success, a crash or a hang.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccessTokenUnavailableError, StableTokenProvider, TokenEndpointClient, TokenServiceProvider, WeChatClient } from '../activities';
import { classifyFailure } from '../activities/errcodes';
import { MAX_ANSWER_BYTES } from '../activities/http-answer';
import { isWeChatApiError, type WeChatApiError } from '../activities/wechat-api-error';
import { startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { WeChatFailureType } from '../workflows/contract';

let simulator: WeChatSimulator;
/** Answers every request with a body that never ends (until the client goes away). */
let endless: Server;
let endlessUrl: string;
/** How many endless answers are still being written: 0 once every client closed its connection. */
let endlessOpen = 0;

beforeAll(async () => {
  simulator = await startWeChatSimulator();
  endless = createServer((_request, response) => {
    endlessOpen += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"errcode":0,"errmsg":"ok","padding":"');
    const chunk = 'x'.repeat(64 * 1024);
    const timer = setInterval(() => response.write(chunk), 1);
    response.on('close', () => {
      clearInterval(timer);
      endlessOpen -= 1;
    });
  });
  await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
  endlessUrl = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
});
afterAll(async () => {
  endless?.closeAllConnections();
  await new Promise((resolve) => endless?.close(resolve));
  await simulator?.close();
});

function newAccount(): { oa: string; token: string } {
  const oa = `wxoa${randomBytes(8).toString('hex')}`;
  return { oa, token: simulator.registerAccount({ appId: oa }).accessToken };
}

async function failureOf(call: Promise<unknown>): Promise<WeChatApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWeChatApiError(error)) throw new Error(`expected a WeChatApiError, got ${String(error)}`);
  return error;
}

describe('the WeChat client', () => {
  it.each(['""', 'null', 'false', '[]', '{}'])('an errcode of %s is a garbled answer (transient), not a success', async (errcode) => {
    const { oa, token } = newAccount();
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: `{"errcode":${errcode},"errmsg":"ok","wxopens":{"items":[]}}` });
    const error = await failureOf(new WeChatClient({ baseUrl: simulator.baseUrl }).post('/cgi-bin/wxopen/wxamplinkget', token, {}));
    expect(error.kind).toBe('bad_body');
    expect(error.message).toContain(`the answer has an errcode that is not a number: ${errcode}`);
    expect(classifyFailure(error).type).toBe(WeChatFailureType.Transient);
    expect(simulator.countCalls({ accountAppId: oa, endpoint: 'wxamplinkget' })).toBe(1);
  });

  it('a valid answer larger than 1 MiB is a transient failure that says so, and carries no token', async () => {
    const { oa, token } = newAccount();
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', oversizeBytes: MAX_ANSWER_BYTES + 1 });
    const error = await failureOf(new WeChatClient({ baseUrl: simulator.baseUrl }).post('/cgi-bin/wxopen/wxamplinkget', token, {}));
    expect(error.kind).toBe('too_large');
    expect(error.message).toContain('the answer is larger than 1048576 bytes');
    expect(error.message).not.toContain(token);
    expect(classifyFailure(error).type).toBe(WeChatFailureType.Transient);
    // Exactly at the limit is still read.
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', oversizeBytes: MAX_ANSWER_BYTES });
    await expect(new WeChatClient({ baseUrl: simulator.baseUrl }).post('/cgi-bin/wxopen/wxamplinkget', token, {})).resolves.toMatchObject({ errcode: 0 });
  });

  it('the limit is an option', async () => {
    const { oa, token } = newAccount();
    simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', oversizeBytes: 2_000 });
    const error = await failureOf(new WeChatClient({ baseUrl: simulator.baseUrl, maxAnswerBytes: 1_000 }).post('/cgi-bin/wxopen/wxamplinkget', token, {}));
    expect(error.message).toContain('the answer is larger than 1000 bytes');
  });

  it('a body that never ends fails at the limit, long before the time-out, and the connection is closed', async () => {
    const started = Date.now();
    const error = await failureOf(
      new WeChatClient({ baseUrl: endlessUrl, timeoutMs: 30_000 }).post('/cgi-bin/wxopen/wxamplinkget', 'A-TOKEN-OF-SOME-LENGTH', {}),
    );
    expect(error.kind).toBe('too_large');
    expect(Date.now() - started).toBeLessThan(10_000);
    const until = Date.now() + 5_000;
    while (endlessOpen > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(endlessOpen).toBe(0);
  });
});

describe('the token side', () => {
  it('an oversize stable_token answer: AccessTokenUnavailable (retryable) saying so, no secret in it', async () => {
    const oa = `wxoa${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(16).toString('hex');
    simulator.registerAccount({ appId: oa, appSecret: secret });
    simulator.injectFault({ accountAppId: oa, endpoint: 'stable_token', oversizeBytes: 2 * MAX_ANSWER_BYTES });
    const provider = new StableTokenProvider({ endpoint: new TokenEndpointClient({ baseUrl: simulator.baseUrl }), secrets: new Map([[oa, secret]]) });
    const error = await provider.getToken(oa).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenUnavailableError);
    expect((error as Error).message).toMatch(/stable_token answered with a body larger than 1048576 bytes/);
    expect((error as Error).message).not.toContain(secret);
  });

  it('a garbled errcode from a token endpoint is no token, not a success', async () => {
    const oa = `wxoa${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(16).toString('hex');
    simulator.registerAccount({ appId: oa, appSecret: secret });
    simulator.injectFault({ accountAppId: oa, endpoint: 'stable_token', rawBody: '{"errcode":"","access_token":"garbled-but-present-0123456789"}' });
    const provider = new StableTokenProvider({ endpoint: new TokenEndpointClient({ baseUrl: simulator.baseUrl }), secrets: new Map([[oa, secret]]) });
    const error = await provider.getToken(oa).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenUnavailableError);
    expect((error as Error).message).toMatch(/errcode that is not a number/);
  });

  it('a token service whose answer never ends: AccessTokenUnavailable saying the answer is too large', async () => {
    const provider = new TokenServiceProvider({ url: `${endlessUrl}/token`, timeoutMs: 30_000 });
    const error = await provider.getToken('wx1234567890').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenUnavailableError);
    expect((error as Error).message).toMatch(/gave no token for wx1234567890: the answer is larger than 1048576 bytes/);
  });
});
