/**
 * Chooses the access-token sources from the configuration and wires them to their caches: in this
 * process, or shared through Redis (`WECHAT_TOKEN_REDIS_URL`) so that a fleet refreshes each
 * token once.
 */
import type Redis from 'ioredis';
import { StaticTokenProvider, TokenServiceProvider, type AccessTokenProvider } from '../activities';
import { urlSecrets } from '../activities/redact';
import { ComponentTokenProvider } from '../activities/tokens/component-token-provider';
import type { CredentialStore } from '../activities/tokens/credential-store';
import { FileCredentialStore } from '../activities/tokens/file-credential-store';
import { RedisCredentialStore } from '../activities/tokens/redis-credential-store';
import { connectRedis } from '../activities/tokens/redis-connection';
import { RedisTokenStore } from '../activities/tokens/redis-token-store';
import { RoutingTokenProvider, type TokenRoute } from '../activities/tokens/routing-token-provider';
import { StableTokenProvider } from '../activities/tokens/stable-token-provider';
import { TokenEndpointClient } from '../activities/tokens/token-endpoint';
import { MemoryTokenStore, type TokenStore } from '../activities/tokens/token-store';
import { ConfigError, type WorkerConfig } from './config';

/**
 * Every secret the configuration holds, so that log lines can be masked with them: tokens, app
 * secrets, and the credentials that the configured URLs carry (an API key in `WECHAT_TOKEN_URL`,
 * user-info in `WECHAT_API_BASE_URL` or the Redis URL), masked literally wherever they are quoted.
 */
export function configuredSecrets(config: WorkerConfig): string[] {
  const { credentials } = config;
  return [
    ...(config.sharedAccessToken ? [config.sharedAccessToken] : []),
    ...(config.accessTokens?.values() ?? []),
    ...(credentials.appSecrets?.values() ?? []),
    ...(credentials.component ? [credentials.component.appSecret] : []),
    ...urlSecrets(config.wechatApiBaseUrl),
    ...urlSecrets(config.tokenServiceUrl),
    ...urlSecrets(credentials.tokenRedisUrl),
    ...(config.webhook ? [config.webhook.secret, ...urlSecrets(config.webhook.operatorUrl)] : []),
  ];
}

/**
 * Per account, the first source that covers it: its entry in `WECHAT_ACCESS_TOKENS`; its secret
 * in `WECHAT_APP_SECRETS(_FILE)` (stable_token); the platform of `WECHAT_COMPONENT_APPID`; the
 * token service (`WECHAT_TOKEN_URL`); the one shared `WECHAT_ACCESS_TOKEN`. The provider's
 * `close()` releases the Redis connection.
 * @throws {@link ConfigError} when Redis cannot be reached.
 */
export async function tokenProviderFromConfig(config: WorkerConfig): Promise<AccessTokenProvider> {
  const { credentials } = config;
  const needsRedis = credentials.tokenRedisUrl !== undefined && (credentials.appSecrets !== undefined || credentials.component !== undefined);
  const redis = needsRedis && credentials.tokenRedisUrl ? await connect(credentials.tokenRedisUrl, config.httpTimeoutMs) : undefined;
  // A refresh may take two requests (component token, then authorizer token); the lock outlives both.
  const lockTtlMs = 2 * config.httpTimeoutMs + 2_000;
  const tokenStore = (kind: string): TokenStore =>
    redis
      ? new RedisTokenStore({ redis, kind, prefix: credentials.tokenRedisPrefix, lockTtlMs, waitTimeoutMs: Math.min(lockTtlMs, 20_000) })
      : new MemoryTokenStore();
  const endpoint = new TokenEndpointClient({ baseUrl: config.wechatApiBaseUrl, timeoutMs: config.httpTimeoutMs });

  const routes: TokenRoute[] = [];
  const perAccount = config.accessTokens;
  if (perAccount) routes.push({ provider: new StaticTokenProvider({ perAccount }), covers: (appId) => perAccount.has(appId) });
  if (credentials.appSecrets) {
    const stable = new StableTokenProvider({
      endpoint,
      secrets: credentials.appSecrets,
      secretsSource: credentials.appSecretsSource,
      store: tokenStore('access_token'),
    });
    routes.push({ provider: stable, covers: (appId) => stable.covers(appId) });
  }
  if (credentials.component) {
    const store: CredentialStore = redis
      ? new RedisCredentialStore(redis, credentials.tokenRedisPrefix)
      : new FileCredentialStore(credentials.credentialStoreFile ?? '');
    const component = new ComponentTokenProvider({
      endpoint,
      componentAppId: credentials.component.appId,
      componentAppSecret: credentials.component.appSecret,
      secretSource: credentials.component.secretSource,
      credentials: store,
      componentTokenStore: tokenStore('component_access_token'),
      authorizerTokenStore: tokenStore('access_token'),
    });
    routes.push({ provider: component, covers: () => true });
  }
  if (config.tokenServiceUrl) {
    routes.push({ provider: new TokenServiceProvider({ url: config.tokenServiceUrl, timeoutMs: config.httpTimeoutMs }), covers: () => true });
  }
  if (config.sharedAccessToken) routes.push({ provider: new StaticTokenProvider({ shared: config.sharedAccessToken }), covers: () => true });

  const router = new RoutingTokenProvider(
    routes,
    'add it to WECHAT_ACCESS_TOKENS or WECHAT_APP_SECRETS, or set WECHAT_ACCESS_TOKEN, WECHAT_TOKEN_URL or WECHAT_COMPONENT_APPID',
  );
  return {
    source: router.source,
    getToken: (appId) => router.getToken(appId),
    invalidate: (appId, token) => router.invalidate(appId, token),
    close: async () => {
      await router.close();
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

async function connect(url: string, timeoutMs: number): Promise<Redis> {
  try {
    return await connectRedis(url, { timeoutMs: Math.min(timeoutMs, 5_000) });
  } catch (error) {
    throw new ConfigError(`WECHAT_TOKEN_REDIS_URL: cannot reach Redis: ${(error as Error).message}`);
  }
}
