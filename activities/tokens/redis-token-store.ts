/**
 * Tokens shared by a fleet of workers through Redis (`WECHAT_TOKEN_REDIS_URL`). Only the holder of
 * a per-token lock (`SET NX PX`, released only by its owner) refreshes; the others poll the token
 * key until the holder has stored the result. The holder extends its lock while the refresh runs
 * (see {@link keepLock}), and stores only while it still owns the lock: one that lost it anyway
 * returns the token the new holder stored, never its own as if it had won. A rejected token is
 * compare-and-deleted in one Lua script, so a token another worker just fetched is never thrown away.
 *
 * Keys, for a prefix `wxamp:` and a kind `access_token` (or `component_access_token`):
 * - `wxamp:access_token:<appid>`: hash `{token, renewAt}`, expiring at `renewAt`;
 * - `wxamp:access_token:<appid>:lock`: the refresher's random id, expiring after `lockTtlMs`;
 * - `wxamp:access_token:<appid>:rejected`: present after a rejection: the next refresh forces;
 * - `wxamp:access_token:<appid>:failed`: the last refresh failure, kept `failureTtlMs`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { redact } from '../redact';
import { AccessTokenUnavailableError, type TokenEndpointFailure } from './access-token-provider';
import { keepLock } from './redis-lock-keeper';
import { tokenLog } from './token-log';
import type { RefreshFn, StoredToken, TokenStore } from './token-store';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  redis: Redis;
  /** What the keys hold: `access_token` or `component_access_token`. */
  kind: string;
  /** Prefix of every key. @default 'wxamp:' */
  prefix?: string;
  /**
   * A refresher that died holds the lock at most this long; a live one extends it every third of
   * this while its refresh runs. @default 22000
   */
  lockTtlMs?: number;
  /** How long a worker waits for another one's refresh before giving up (and retrying later). @default 20000 */
  waitTimeoutMs?: number;
  /** How often a waiting worker looks for the result. @default 50 */
  pollIntervalMs?: number;
  /** A failed refresh is answered from Redis for this long. @default 10000 */
  failureTtlMs?: number;
}

/** A rejection marker lives this long: enough for the next refresh to see it. */
const REJECTED_TTL_MS = 600_000;

// Stores the token only while the caller still owns the lock: a refresher that outlived its lock
// must not overwrite the newer token of the worker that took over.
const STORE_IF_OWNER = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'renewAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('DEL', KEYS[3], KEYS[4])
return 1`;

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Deletes the token only if it is the rejected one (or already gone), and asks for a forced refresh.
const DISCARD_IF_SAME = `
local current = redis.call('HGET', KEYS[1], 'token')
if current == false or current == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  return 1
end
return 0`;

/** Tokens in Redis, refreshed under a lock by one worker at a time. */
export class RedisTokenStore implements TokenStore {
  readonly description = 'Redis (WECHAT_TOKEN_REDIS_URL)';
  private readonly redis: Redis;
  private readonly kind: string;
  private readonly prefix: string;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly failureTtlMs: number;

  constructor(options: RedisTokenStoreOptions) {
    this.redis = options.redis;
    this.kind = options.kind;
    this.prefix = options.prefix ?? 'wxamp:';
    this.lockTtlMs = options.lockTtlMs ?? 22_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 20_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.failureTtlMs = options.failureTtlMs ?? 10_000;
  }

  /** The key of the token of `id` (the lock, marker and failure keys add a suffix). */
  key(id: string): string {
    return `${this.prefix}${this.kind}:${id}`;
  }

  async getOrRefresh(id: string, refresh: RefreshFn): Promise<StoredToken> {
    const key = this.key(id);
    const deadline = Date.now() + this.waitTimeoutMs;
    for (;;) {
      const stored = await this.read(id);
      if (stored) return stored;
      const failure = await this.command(id, () => this.redis.get(`${key}:failed`));
      if (failure !== null) throw restoreFailure(id, failure);
      const owner = randomUUID();
      const locked = await this.command(id, () => this.redis.set(`${key}:lock`, owner, 'PX', this.lockTtlMs, 'NX'));
      if (locked === 'OK') {
        const result = await this.refreshHoldingLock(id, owner, refresh);
        if (result) return result;
        // We lost the lock and the new holder has stored nothing yet: wait for it like any other worker.
      }
      if (Date.now() >= deadline) {
        throw new AccessTokenUnavailableError(
          id,
          `no ${this.kind} for ${id}: another worker has been refreshing it for over ${this.waitTimeoutMs}ms (lock ${key}:lock in Redis); retrying with back-off`,
        );
      }
      await sleep(this.pollIntervalMs);
    }
  }

  async discard(id: string, rejectedToken: string): Promise<void> {
    const key = this.key(id);
    await this.command(id, () => this.redis.eval(DISCARD_IF_SAME, 2, key, `${key}:rejected`, rejectedToken, REJECTED_TTL_MS));
  }

  /**
   * Refreshes while holding the lock. Resolves with the token to use: ours once stored, or, when
   * the lock was lost meanwhile, the one the new holder stored (`undefined` while there is none).
   */
  private async refreshHoldingLock(id: string, owner: string, refresh: RefreshFn): Promise<StoredToken | undefined> {
    const key = this.key(id);
    const keeper = keepLock(this.redis, `${key}:lock`, owner, this.lockTtlMs);
    try {
      // Another worker may have stored a token between our last look and taking the lock.
      const existing = await this.read(id);
      if (existing) return existing;
      const forceRefresh = (await this.command(id, () => this.redis.exists(`${key}:rejected`))) === 1;
      let fresh: StoredToken;
      try {
        fresh = await refresh(forceRefresh);
      } catch (error) {
        if (error instanceof AccessTokenUnavailableError && this.failureTtlMs > 0) await this.rememberFailure(id, error);
        throw error;
      }
      const ttlMs = Math.max(1, Math.round(fresh.renewAt - Date.now()));
      const written = await this.command(id, () =>
        this.redis.eval(STORE_IF_OWNER, 4, key, `${key}:lock`, `${key}:rejected`, `${key}:failed`, owner, fresh.token, String(fresh.renewAt), ttlMs),
      );
      if (written === 1) return fresh;
      // Another worker holds the lock now and refreshes (or has refreshed): its token is the one
      // the fleet shares. Ours is not stored, so caching it here would split the fleet in two.
      tokenLog('warn', `lost the ${this.kind} refresh lock before storing; using the token the new holder stores`, { id });
      return await this.read(id);
    } finally {
      keeper.stop();
      // Best effort: a lock that cannot be released expires by itself.
      await this.redis.eval(RELEASE_IF_OWNER, 1, `${key}:lock`, owner).catch(() => undefined);
    }
  }

  private async read(id: string): Promise<StoredToken | undefined> {
    const hash = await this.command(id, () => this.redis.hgetall(this.key(id)));
    const renewAt = Number(hash.renewAt);
    if (!hash.token || !Number.isFinite(renewAt) || renewAt <= Date.now()) return undefined;
    return { token: hash.token, renewAt };
  }

  private async rememberFailure(id: string, error: AccessTokenUnavailableError): Promise<void> {
    const value = JSON.stringify({ message: error.message, endpointFailure: error.endpointFailure ?? null });
    await this.redis.set(`${this.key(id)}:failed`, value, 'PX', this.failureTtlMs).catch(() => undefined);
  }

  /** Runs a Redis command; its failure becomes a retryable, redacted {@link AccessTokenUnavailableError}. */
  private async command<T>(id: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // Library errors carry the command's arguments (tokens among them): keep the message only.
      const message = redact(error instanceof Error ? error.message : String(error));
      throw new AccessTokenUnavailableError(
        id,
        `no ${this.kind} for ${id}: the shared token store (Redis, WECHAT_TOKEN_REDIS_URL) failed: ${message}; retrying with back-off`,
      );
    }
  }
}

function restoreFailure(id: string, stored: string): AccessTokenUnavailableError {
  try {
    const parsed = JSON.parse(stored) as { message?: unknown; endpointFailure?: TokenEndpointFailure | null };
    const message = typeof parsed.message === 'string' ? parsed.message : `no token for ${id}: a recent refresh failed`;
    return new AccessTokenUnavailableError(id, message, parsed.endpointFailure ? { endpointFailure: parsed.endpointFailure } : undefined);
  } catch {
    return new AccessTokenUnavailableError(id, `no token for ${id}: a recent refresh failed; retrying with back-off`);
  }
}
