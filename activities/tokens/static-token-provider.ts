/** Tokens given in configuration: one per account (`WECHAT_ACCESS_TOKENS`) and/or one for all. */
import { AccessTokenUnavailableError, type AccessTokenProvider } from './access-token-provider';

/** Options of {@link StaticTokenProvider}. */
export interface StaticTokenOptions {
  /** Official-account appid → token. A `Map` may be changed while the worker runs. */
  perAccount?: ReadonlyMap<string, string>;
  /** Used for every account not in `perAccount`, unless there is a `fallback`. */
  shared?: string;
  /** Asked for accounts that neither of the above covers (e.g. a token service). */
  fallback?: AccessTokenProvider;
}

/**
 * Serves configured tokens. A static token cannot be refreshed: when WeChat rejects it the
 * workflow backs off and says so in `lastError` until an operator replaces it.
 */
export class StaticTokenProvider implements AccessTokenProvider {
  readonly source: string;
  private readonly perAccount: ReadonlyMap<string, string>;
  private readonly shared: string | undefined;
  private readonly fallback: AccessTokenProvider | undefined;

  constructor(options: StaticTokenOptions) {
    this.perAccount = options.perAccount ?? new Map();
    this.shared = options.shared;
    this.fallback = options.fallback;
    const sources = [
      options.perAccount ? 'WECHAT_ACCESS_TOKENS' : null,
      options.fallback?.source ?? null,
      options.shared !== undefined && !options.fallback ? 'WECHAT_ACCESS_TOKEN' : null,
    ].filter((name): name is string => name !== null);
    this.source = sources.join(', then ') || 'no token source';
  }

  getToken(accountAppId: string): Promise<string> {
    const own = this.perAccount.get(accountAppId);
    if (own) return Promise.resolve(own);
    if (this.fallback) return this.fallback.getToken(accountAppId);
    if (this.shared) return Promise.resolve(this.shared);
    return Promise.reject(
      new AccessTokenUnavailableError(
        accountAppId,
        `no access token is configured for official account ${accountAppId}: add it to WECHAT_ACCESS_TOKENS, or set WECHAT_ACCESS_TOKEN or WECHAT_TOKEN_URL`,
      ),
    );
  }

  invalidate(accountAppId: string, rejectedToken: string): Promise<boolean> {
    if (!this.perAccount.has(accountAppId) && this.fallback) return this.fallback.invalidate(accountAppId, rejectedToken);
    return Promise.resolve(false);
  }
}
