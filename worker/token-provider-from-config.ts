/** Chooses the access-token source from the configuration. */
import { StaticTokenProvider, TokenServiceProvider, type AccessTokenProvider } from '../activities';
import type { WorkerConfig } from './config';

/**
 * Per account: its entry in `WECHAT_ACCESS_TOKENS`, else the token service (`WECHAT_TOKEN_URL`),
 * else the one shared `WECHAT_ACCESS_TOKEN`.
 */
export function tokenProviderFromConfig(config: WorkerConfig): AccessTokenProvider {
  const service = config.tokenServiceUrl ? new TokenServiceProvider({ url: config.tokenServiceUrl, timeoutMs: config.httpTimeoutMs }) : undefined;
  return new StaticTokenProvider({
    ...(config.accessTokens && { perAccount: config.accessTokens }),
    ...(config.sharedAccessToken && { shared: config.sharedAccessToken }),
    ...(service && { fallback: service }),
  });
}
