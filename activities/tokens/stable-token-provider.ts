/**
 * An account's own token from its appid and secret: `POST /cgi-bin/stable_token`
 * `{grant_type: "client_credential", appid, secret, force_refresh}`. Without `force_refresh`
 * WeChat hands every caller the same token while it is valid, so the normal refresh never throws
 * away a token another process holds; `force_refresh: true` is sent only after WeChat rejected
 * the token (it is rate-limited per day).
 */
import { AccessTokenUnavailableError, type AccessTokenProvider } from './access-token-provider';
import { TokenCache } from './token-cache';
import { expiresInSec, stringField, type TokenEndpointClient } from './token-endpoint';
import type { TokenStore } from './token-store';

/** Options of {@link StableTokenProvider}. */
export interface StableTokenOptions {
  endpoint: TokenEndpointClient;
  /** Official-account appid → app secret. */
  secrets: ReadonlyMap<string, string>;
  /** Where the secrets come from, for error messages. @default 'WECHAT_APP_SECRETS' */
  secretsSource?: string;
  /** Where tokens are shared. @default in this process */
  store?: TokenStore;
  /** Tokens are renewed this long before they expire. @default 300000 */
  expiryMarginMs?: number;
}

/** Tokens from `stable_token`, cached and refreshed one at a time per account. */
export class StableTokenProvider implements AccessTokenProvider {
  readonly source: string;
  private readonly cache: TokenCache;
  private readonly secretsSource: string;

  constructor(private readonly options: StableTokenOptions) {
    this.secretsSource = options.secretsSource ?? 'WECHAT_APP_SECRETS';
    this.source = `${this.secretsSource} (stable_token)`;
    this.cache = new TokenCache({
      fetch: (appId, { forceRefresh }) => this.fetch(appId, forceRefresh),
      metricSource: 'stable_token',
      ...(options.store && { store: options.store }),
      ...(options.expiryMarginMs !== undefined && { expiryMarginMs: options.expiryMarginMs }),
    });
  }

  /** Whether a secret is configured for the account. */
  covers(accountAppId: string): boolean {
    return this.options.secrets.has(accountAppId);
  }

  getToken(accountAppId: string): Promise<string> {
    if (!this.covers(accountAppId)) {
      return Promise.reject(new AccessTokenUnavailableError(accountAppId, `no app secret for ${accountAppId} in ${this.secretsSource}`));
    }
    return this.cache.get(accountAppId);
  }

  async invalidate(accountAppId: string, rejectedToken: string): Promise<boolean> {
    await this.cache.invalidate(accountAppId, rejectedToken);
    return true;
  }

  async close(): Promise<void> {
    await this.cache.store.close?.();
  }

  private async fetch(appId: string, forceRefresh: boolean): Promise<{ token: string; expiresInSec: number }> {
    const secret = this.options.secrets.get(appId) ?? '';
    const answer = await this.options.endpoint.post({
      path: '/cgi-bin/stable_token',
      body: { grant_type: 'client_credential', appid: appId, secret, force_refresh: forceRefresh },
      accountAppId: appId,
      secrets: [secret],
      setting: `the secret of ${appId} in ${this.secretsSource}`,
    });
    const token = stringField(answer, 'access_token');
    if (token === undefined)
      throw new AccessTokenUnavailableError(appId, `no access token for ${appId}: stable_token answered without access_token; retrying with back-off`);
    return { token, expiresInSec: expiresInSec(answer) };
  }
}
