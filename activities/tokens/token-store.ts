/**
 * Where cached tokens are shared and who may refresh them. {@link MemoryTokenStore} serves one
 * process; `RedisTokenStore` serves a fleet of workers. Either way one refresh of a token runs
 * at a time, and a token WeChat rejected is deleted only if it is still the stored one.
 */
import { SingleFlight } from '../single-flight';
import { AccessTokenUnavailableError } from './access-token-provider';

/** A token and the time (epoch ms) from which it should be renewed. */
export interface StoredToken {
  token: string;
  renewAt: number;
}

/** Makes a fresh token; `forceRefresh` is true when the last stored one was rejected by WeChat. */
export type RefreshFn = (forceRefresh: boolean) => Promise<StoredToken>;

/** Shared storage of tokens, with one refresher per token at a time. */
export interface TokenStore {
  /** Where tokens are kept, for messages (`in-process`, `Redis`). Never a secret. */
  readonly description: string;
  /**
   * The stored token for `id` while it is fresh; otherwise one made by `refresh`, run by one
   * caller at a time (the others wait for its result).
   * @throws {@link AccessTokenUnavailableError} when no token can be had (a failed refresh is
   * remembered for a few seconds, so that a fleet does not hammer a failing endpoint).
   */
  getOrRefresh(id: string, refresh: RefreshFn): Promise<StoredToken>;
  /** WeChat rejected `rejectedToken`: delete it if it is still stored, and have the next refresh force a new one. */
  discard(id: string, rejectedToken: string): Promise<void>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** A failed refresh is answered from memory for this long. @default 10000 */
  failureTtlMs?: number;
  /** Clock, for tests of expiry. @default Date.now */
  now?: () => number;
}

/** Tokens kept in this process: enough for one worker (or for tests that simulate several). */
export class MemoryTokenStore implements TokenStore {
  readonly description = 'in-process';
  private readonly tokens = new Map<string, StoredToken>();
  private readonly forced = new Set<string>();
  private readonly failures = new Map<string, { error: AccessTokenUnavailableError; until: number }>();
  private readonly flights = new SingleFlight<StoredToken>();
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(options: MemoryTokenStoreOptions = {}) {
    this.failureTtlMs = options.failureTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  getOrRefresh(id: string, refresh: RefreshFn): Promise<StoredToken> {
    const stored = this.tokens.get(id);
    if (stored && stored.renewAt > this.now()) return Promise.resolve(stored);
    const failure = this.failures.get(id);
    if (failure && failure.until > this.now()) return Promise.reject(failure.error);
    return this.flights.run(id, async () => {
      try {
        const fresh = await refresh(this.forced.has(id));
        this.tokens.set(id, fresh);
        this.forced.delete(id);
        this.failures.delete(id);
        return fresh;
      } catch (error) {
        if (error instanceof AccessTokenUnavailableError && this.failureTtlMs > 0) {
          this.failures.set(id, { error, until: this.now() + this.failureTtlMs });
        }
        throw error;
      }
    });
  }

  discard(id: string, rejectedToken: string): Promise<void> {
    const stored = this.tokens.get(id);
    // Compare before deleting: a newer token fetched meanwhile must survive an old rejection.
    if (!stored || stored.token === rejectedToken) {
      this.tokens.delete(id);
      this.forced.add(id);
    }
    return Promise.resolve();
  }
}
