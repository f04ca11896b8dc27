/**
 * Shared mode against a real redis-server: several providers, each with its own connection as
 * separate worker processes would have, refresh each token once, never throw away a token another
 * one fetched, rotate refresh tokens into Redis, and fail clearly when Redis is away.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import {
  AccessTokenUnavailableError,
  ComponentTokenProvider,
  RedisCredentialStore,
  RedisTokenStore,
  StableTokenProvider,
  TokenCache,
  TokenEndpointClient,
  refreshTokenKey,
  verifyTicketKey,
} from '../activities';
import { findFreePort } from '../local/free-port';
import { startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { sleep, waitFor } from './helpers/wait';

let redis: RedisServer;
let simulator: WeChatSimulator;
const connections: Redis[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  simulator = await startWeChatSimulator();
});
afterAll(async () => {
  await Promise.all(connections.map((c) => (c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : Promise.resolve(c.disconnect()))));
  await simulator?.close();
  await redis?.stop();
});

/** A fresh key prefix per test, so that tests never see each other's keys. */
const newPrefix = () => `test-${randomBytes(4).toString('hex')}:`;

/** What one worker process would build: its own Redis connection, store and provider. */
function stableProcess(secrets: Map<string, string>, prefix: string): StableTokenProvider {
  const connection = redis.client();
  connections.push(connection);
  return new StableTokenProvider({
    endpoint: new TokenEndpointClient({ baseUrl: simulator.baseUrl }),
    secrets,
    store: new RedisTokenStore({ redis: connection, kind: 'access_token', prefix, pollIntervalMs: 20 }),
  });
}

function ownAccount(): { oa: string; secrets: Map<string, string> } {
  const oa = `wxoa${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  simulator.registerAccount({ appId: oa, appSecret: secret });
  return { oa, secrets: new Map([[oa, secret]]) };
}

describe('tokens shared through Redis', () => {
  it('50 concurrent requests spread over three processes cause one token fetch', async () => {
    const { oa, secrets } = ownAccount();
    const prefix = newPrefix();
    const processes = [stableProcess(secrets, prefix), stableProcess(secrets, prefix), stableProcess(secrets, prefix)];
    simulator.injectFault({ accountAppId: oa, endpoint: 'stable_token', delayMs: 500 });
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (processes[i % 3] as StableTokenProvider).getToken(oa)));
    expect(new Set(tokens).size).toBe(1);
    expect(simulator.countCalls({ endpoint: 'stable_token', accountAppId: oa })).toBe(1);
    const inspector = redis.client();
    connections.push(inspector);
    expect((await inspector.hgetall(`${prefix}access_token:${oa}`)).token).toBe(tokens[0]);
  });

  it('a rejection seen late by another process does not throw away the token fetched meanwhile', async () => {
    const { oa, secrets } = ownAccount();
    const prefix = newPrefix();
    const [a, b] = [stableProcess(secrets, prefix), stableProcess(secrets, prefix)];
    const first = await a.getToken(oa);
    expect(await b.getToken(oa)).toBe(first);
    // WeChat rejects `first` for A: A drops it and forces a new one.
    expect(await a.invalidate(oa, first)).toBe(true);
    const second = await a.getToken(oa);
    expect(second).not.toBe(first);
    // B meets the same rejection later: compare-and-delete keeps `second`, and B reads it.
    await b.invalidate(oa, first);
    expect(await b.getToken(oa)).toBe(second);
    const calls = simulator.calls({ endpoint: 'stable_token', accountAppId: oa });
    expect(calls.map((c) => (c.body as { force_refresh: boolean }).force_refresh)).toEqual([false, true]);
  });

  it('three processes asking all the time refresh once per expiry', async () => {
    simulator.setTokenPolicy({ lifetimeMs: 2_000, earlyRefreshMs: 2_000, graceMs: 1_000 });
    try {
      const { oa, secrets } = ownAccount();
      const prefix = newPrefix();
      const processes = [stableProcess(secrets, prefix), stableProcess(secrets, prefix), stableProcess(secrets, prefix)];
      // They ask all the time until the simulator has issued four tokens (how long that takes
      // depends on the machine's load, not on a fixed window).
      const fetches = () => simulator.calls({ endpoint: 'stable_token', accountAppId: oa }).map((c) => Date.parse(c.at));
      let asking = true;
      const loops = processes.map(async (p) => {
        while (asking) {
          await p.getToken(oa);
          await sleep(10);
        }
      });
      try {
        await waitFor(() => fetches().length >= 4, 'four token fetches', 20_000);
      } finally {
        asking = false;
        await Promise.all(loops);
      }
      // 2-second tokens are renewed half-way, once per renewal for the three processes together:
      // no two fetches within a second of each other (a second process fetching too would be one).
      const at = fetches();
      expect(at.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(900);
    } finally {
      simulator.setTokenPolicy({ lifetimeMs: 7_200_000, earlyRefreshMs: 300_000, graceMs: 300_000 });
    }
  });

  it('component mode reads the ticket and refresh token from Redis and writes the rotated refresh token back', async () => {
    simulator.setTokenPolicy({ rotateRefreshTokens: true });
    try {
      const prefix = newPrefix();
      const component = `wxcomp${randomBytes(6).toString('hex')}`;
      const oa = `wxoa${randomBytes(8).toString('hex')}`;
      const { componentAppSecret } = simulator.registerComponent({ componentAppId: component });
      const { authorizerRefreshToken } = simulator.authorizeAccount({ componentAppId: component, authorizerAppId: oa });
      const callbackService = redis.client();
      connections.push(callbackService);
      await callbackService.set(verifyTicketKey(component, prefix), simulator.pushComponentTicket(component));
      await callbackService.set(refreshTokenKey(oa, prefix), authorizerRefreshToken);
      const connection = redis.client();
      connections.push(connection);
      const provider = new ComponentTokenProvider({
        endpoint: new TokenEndpointClient({ baseUrl: simulator.baseUrl }),
        componentAppId: component,
        componentAppSecret,
        credentials: new RedisCredentialStore(connection, prefix),
        componentTokenStore: new RedisTokenStore({ redis: connection, kind: 'component_access_token', prefix }),
        authorizerTokenStore: new RedisTokenStore({ redis: connection, kind: 'access_token', prefix }),
      });
      const token = await provider.getToken(oa);
      const rotated = await callbackService.get(refreshTokenKey(oa, prefix));
      expect(rotated).not.toBe(authorizerRefreshToken);
      expect(simulator.calls({ endpoint: 'api_authorizer_token', accountAppId: oa })[0]?.errcode).toBe(0);
      // A rejection makes the next request use the rotated refresh token: it works (no 61023).
      await provider.invalidate(oa, token);
      expect(await provider.getToken(oa)).not.toBe(token);
      expect(simulator.calls({ endpoint: 'api_authorizer_token', accountAppId: oa }).map((c) => c.errcode)).toEqual([0, 0]);
      expect(await callbackService.get(refreshTokenKey(oa, prefix))).not.toBe(rotated);
      expect((await callbackService.hgetall(`${prefix}component_access_token:${component}`)).token).toBeTruthy();
    } finally {
      simulator.setTokenPolicy({ rotateRefreshTokens: false });
    }
  });

  it('fails with a retryable, clear error when Redis is away', async () => {
    const { oa, secrets } = ownAccount();
    const { default: Redis } = await import('ioredis');
    const nowhere = new Redis(`redis://127.0.0.1:${await findFreePort()}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    nowhere.on('error', () => undefined);
    connections.push(nowhere);
    const provider = new StableTokenProvider({
      endpoint: new TokenEndpointClient({ baseUrl: simulator.baseUrl }),
      secrets,
      store: new RedisTokenStore({ redis: nowhere, kind: 'access_token' }),
    });
    const error = await provider.getToken(oa).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenUnavailableError);
    expect((error as Error).message).toMatch(/the shared token store \(Redis, WECHAT_TOKEN_REDIS_URL\) failed/);
    expect((error as Error).message).not.toContain(secrets.get(oa) ?? '-');
  });
});

/** A store as one worker process would have it: its own connection, a short lock for the test. */
function storeProcess(prefix: string, lockTtlMs: number): RedisTokenStore {
  const connection = redis.client();
  connections.push(connection);
  return new RedisTokenStore({ redis: connection, kind: 'access_token', prefix, lockTtlMs, waitTimeoutMs: 10_000, pollIntervalMs: 20 });
}

describe('the refresh lock', () => {
  it('is kept while a refresh runs longer than its TTL: no second refresh starts meanwhile', async () => {
    const prefix = newPrefix();
    const id = `wxoa${randomBytes(8).toString('hex')}`;
    const [a, b] = [storeProcess(prefix, 300), storeProcess(prefix, 300)];
    const inspector = redis.client();
    connections.push(inspector);
    const lockKey = `${a.key(id)}:lock`;
    let finishA: () => void = () => undefined;
    let startedA = 0;
    let refreshesOfB = 0;

    const first = a.getOrRefresh(id, async () => {
      startedA = Date.now();
      await new Promise<void>((resolve) => (finishA = resolve));
      return { token: 'token-of-the-slow-refresh', renewAt: Date.now() + 60_000 };
    });
    await waitFor(() => startedA > 0, "A's refresh to start");
    const second = b.getOrRefresh(id, () => {
      refreshesOfB += 1;
      return Promise.resolve({ token: 'token-of-a-second-refresh', renewAt: Date.now() + 60_000 });
    });
    // Over three TTLs into the refresh, the lock is still there, and still A's.
    await waitFor(() => Date.now() - startedA >= 1_000, 'a refresh of over three lock TTLs');
    expect(await inspector.pttl(lockKey)).toBeGreaterThan(0);
    expect(refreshesOfB).toBe(0);
    finishA();

    expect(await first).toMatchObject({ token: 'token-of-the-slow-refresh' });
    expect(await second).toMatchObject({ token: 'token-of-the-slow-refresh' });
    expect(refreshesOfB).toBe(0);
    // Released once the refresh is stored; no extension outlives it.
    await waitFor(async () => (await inspector.exists(lockKey)) === 0, 'the lock to be released');
    expect(await inspector.pttl(lockKey)).toBe(-2);
  });

  it('a worker that lost the lock before storing uses, and caches, the token the new holder stored', async () => {
    const prefix = newPrefix();
    const id = `wxoa${randomBytes(8).toString('hex')}`;
    const inspector = redis.client();
    connections.push(inspector);
    const fetched: string[] = [];
    const winner = new TokenCache({
      store: storeProcess(prefix, 300),
      fetch: () => {
        fetched.push('winner');
        return Promise.resolve({ token: 'token-of-the-winner', expiresInSec: 7200 });
      },
    });
    const loser = new TokenCache({
      store: storeProcess(prefix, 300),
      fetch: async () => {
        fetched.push('loser');
        // The lock goes (a failover lost the key), the other worker takes it and stores its token.
        await inspector.del(`${prefix}access_token:${id}:lock`);
        expect(await winner.get(id)).toBe('token-of-the-winner');
        return { token: 'token-of-the-loser', expiresInSec: 7200 };
      },
    });

    expect(await loser.get(id)).toBe('token-of-the-winner');
    expect(await loser.get(id)).toBe('token-of-the-winner');
    expect(fetched).toEqual(['loser', 'winner']);
    expect((await inspector.hgetall(`${prefix}access_token:${id}`)).token).toBe('token-of-the-winner');
  });
});
