/**
 * Tokens from the platform's own token service (`WECHAT_TOKEN_URL`): `GET <url>?appid=<account>`
 * answers `{"access_token": "…", "expires_in": 7200}`; after WeChat rejects a token the next
 * request adds `&force_refresh=1`. Tokens are cached until shortly before they expire, and one
 * request per account is in flight however many activities ask at once.
 */
import { observeTokenFetch } from '../activity-metrics';
import { AnswerTooLargeError, fetchAnswer, MAX_ANSWER_BYTES } from '../http-answer';
import { redact, urlSecrets } from '../redact';
import { SingleFlight } from '../single-flight';
import { AccessTokenUnavailableError, type AccessTokenProvider } from './access-token-provider';

/** Options of {@link TokenServiceProvider}. */
export interface TokenServiceOptions {
  url: string;
  /** @default 10000 */
  timeoutMs?: number;
  /** A larger answer body is a retryable failure, not read further. @default {@link MAX_ANSWER_BYTES} (1 MiB) */
  maxAnswerBytes?: number;
  /** Tokens are renewed this long before WeChat's `expires_in` ends. @default 300000 */
  expiryMarginMs?: number;
  /** Clock, for tests of expiry. @default Date.now */
  now?: () => number;
}

interface CachedToken {
  token: string;
  renewAt: number;
}

/** Fetches and caches tokens from a token service. */
export class TokenServiceProvider implements AccessTokenProvider {
  readonly source = 'WECHAT_TOKEN_URL';
  private readonly cache = new Map<string, CachedToken>();
  private readonly forceRefresh = new Set<string>();
  private readonly flights = new SingleFlight<string>();
  private readonly timeoutMs: number;
  private readonly expiryMarginMs: number;
  private readonly now: () => number;
  /**
   * The credentials of the configured URL (an API key parameter, user-info): masked literally in
   * every message, wherever a library may quote them, before the patterns of {@link redact} run.
   */
  private readonly urlSecrets: readonly string[];

  constructor(private readonly options: TokenServiceOptions) {
    this.urlSecrets = urlSecrets(options.url);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.expiryMarginMs = options.expiryMarginMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  getToken(accountAppId: string): Promise<string> {
    const cached = this.cache.get(accountAppId);
    if (cached && cached.renewAt > this.now()) return Promise.resolve(cached.token);
    return this.flights.run(accountAppId, () => observeTokenFetch('token_service', this.forceRefresh.has(accountAppId), () => this.fetchToken(accountAppId)));
  }

  invalidate(accountAppId: string, rejectedToken: string): Promise<boolean> {
    const cached = this.cache.get(accountAppId);
    // Compare before deleting: a newer token fetched meanwhile must survive an old rejection.
    if (!cached || cached.token === rejectedToken) {
      this.cache.delete(accountAppId);
      this.forceRefresh.add(accountAppId);
    }
    return Promise.resolve(true);
  }

  private async fetchToken(accountAppId: string): Promise<string> {
    const force = this.forceRefresh.has(accountAppId);
    const url = new URL(this.options.url);
    url.searchParams.set('appid', accountAppId);
    if (force) url.searchParams.set('force_refresh', '1');
    const secrets = [url.toString(), ...this.urlSecrets];
    const unavailable = (why: string) =>
      new AccessTokenUnavailableError(
        accountAppId,
        redact(`token service ${redact(url.toString(), this.urlSecrets)} gave no token for ${accountAppId}: ${why}`, this.urlSecrets),
      );

    let status: number;
    let text: string;
    try {
      ({ status, text } = await fetchAnswer(url.toString(), { signal: AbortSignal.timeout(this.timeoutMs) }, this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES));
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw unavailable(`${error.message} (not read further)`);
      throw unavailable(redact(error instanceof Error ? error.message : String(error), secrets));
    }
    if (status < 200 || status >= 300) throw unavailable(`HTTP ${status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw unavailable('the answer is not JSON');
    }
    const { access_token: token, expires_in: expiresIn } = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof token !== 'string' || token === '') throw unavailable('the answer has no access_token');
    const lifetimeMs = (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200) * 1000;
    this.cache.set(accountAppId, { token, renewAt: this.now() + Math.max(lifetimeMs - this.expiryMarginMs, lifetimeMs / 2) });
    this.forceRefresh.delete(accountAppId);
    return token;
  }
}
