/**
 * The cache every fetching provider uses: tokens kept in this process until shortly before they
 * expire, one fetch per token in flight however many activities ask at once, and behind that a
 * {@link TokenStore} (in-process, or Redis for a fleet) that decides who refreshes.
 */
import { observeTokenFetch } from '../activity-metrics';
import { SingleFlight } from '../single-flight';
import { MemoryTokenStore, type StoredToken, type TokenStore } from './token-store';

/** What a token endpoint hands out. */
export interface FetchedToken {
  token: string;
  /** WeChat's `expires_in`, in seconds. */
  expiresInSec: number;
}

/** Fetches a token for `id` from WeChat; `forceRefresh` only after a rejection. */
export type TokenFetcher = (id: string, options: { forceRefresh: boolean }) => Promise<FetchedToken>;

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  fetch: TokenFetcher;
  /** Where tokens are shared and who refreshes. @default a {@link MemoryTokenStore} */
  store?: TokenStore;
  /** Tokens are renewed this long before `expires_in` ends (at most half-way). @default 300000 */
  expiryMarginMs?: number;
  /** Clock, for tests of expiry. @default Date.now */
  now?: () => number;
  /** The `source` label of the token-fetch metric. @default 'cache' */
  metricSource?: string;
}

/** A two-level token cache: this process, then the store. */
export class TokenCache {
  readonly store: TokenStore;
  private readonly local = new Map<string, StoredToken>();
  private readonly flights = new SingleFlight<string>();
  private readonly fetchToken: TokenFetcher;
  private readonly expiryMarginMs: number;
  private readonly now: () => number;
  private readonly metricSource: string;

  constructor(options: TokenCacheOptions) {
    this.fetchToken = options.fetch;
    this.metricSource = options.metricSource ?? 'cache';
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryTokenStore({ now: this.now });
    this.expiryMarginMs = options.expiryMarginMs ?? 300_000;
  }

  /** The token for `id`: cached, from the store, or fetched (once, however many ask). */
  get(id: string): Promise<string> {
    const cached = this.local.get(id);
    if (cached && cached.renewAt > this.now()) return Promise.resolve(cached.token);
    return this.flights.run(id, async () => {
      const fresh = await this.store.getOrRefresh(id, (forceRefresh) => this.fetchAndStamp(id, forceRefresh));
      this.local.set(id, fresh);
      return fresh.token;
    });
  }

  /** WeChat rejected `rejectedToken`: forget it here and in the store, unless a newer one replaced it. */
  async invalidate(id: string, rejectedToken: string): Promise<void> {
    if (this.local.get(id)?.token === rejectedToken) this.local.delete(id);
    await this.store.discard(id, rejectedToken);
  }

  private async fetchAndStamp(id: string, forceRefresh: boolean): Promise<StoredToken> {
    const { token, expiresInSec } = await observeTokenFetch(this.metricSource, forceRefresh, () => this.fetchToken(id, { forceRefresh }));
    const lifetimeMs = expiresInSec * 1000;
    // Renew before the end, so no call goes out with a token about to expire; never later than half-way.
    return { token, renewAt: this.now() + Math.max(lifetimeMs - this.expiryMarginMs, lifetimeMs / 2) };
  }
}
