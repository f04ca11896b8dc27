/**
 * Where a third-party platform's long-lived credentials live: the `component_verify_ticket` that
 * WeChat pushes to the platform's callback service, and each authorized account's
 * `authorizer_refresh_token`. The callback service writes them; the worker reads them and writes
 * back refresh tokens that WeChat rotated. Implementations: Redis (`redis-credential-store.ts`)
 * for a fleet, a JSON file or memory (`file-credential-store.ts`) for one box and for tests.
 */

/** The key prefix of the Redis store (and of the token keys), unless `WECHAT_TOKEN_REDIS_PREFIX` says otherwise. */
export const DEFAULT_REDIS_PREFIX = 'wxamp:';

/** The Redis key of a platform's verify ticket: `wxamp:component_verify_ticket:<component_appid>`. */
export function verifyTicketKey(componentAppId: string, prefix = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}component_verify_ticket:${componentAppId}`;
}

/** The Redis key of an account's refresh token: `wxamp:authorizer_refresh_token:<authorizer_appid>`. */
export function refreshTokenKey(authorizerAppId: string, prefix = DEFAULT_REDIS_PREFIX): string {
  return `${prefix}authorizer_refresh_token:${authorizerAppId}`;
}

/** The platform's shared credentials. */
export interface CredentialStore {
  /** Where a credential is kept, for messages (a key or a file and field); never its value. */
  where(what: 'component_verify_ticket' | 'authorizer_refresh_token', appId: string): string;
  /** The latest verify ticket of the platform, if the callback service stored one. */
  getVerifyTicket(componentAppId: string): Promise<string | undefined>;
  /** The account's refresh token, if it authorized the platform. */
  getRefreshToken(authorizerAppId: string): Promise<string | undefined>;
  /**
   * Writes the refresh token WeChat rotated, if the stored one is still `previous` (a newer
   * authorization stored by the callback service meanwhile wins). Resolves whether it was written.
   */
  replaceRefreshToken(authorizerAppId: string, previous: string, next: string): Promise<boolean>;
  /** Releases connections. */
  close?(): Promise<void>;
}
