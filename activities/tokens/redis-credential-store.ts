/**
 * The platform's credentials in Redis (`WECHAT_TOKEN_REDIS_URL`), where its callback service
 * writes them: `wxamp:component_verify_ticket:<component_appid>` and
 * `wxamp:authorizer_refresh_token:<authorizer_appid>` (plain string values; the prefix is
 * `WECHAT_TOKEN_REDIS_PREFIX`). A rotated refresh token is written back with compare-and-set.
 */
import type Redis from 'ioredis';
import { DEFAULT_REDIS_PREFIX, refreshTokenKey, verifyTicketKey, type CredentialStore } from './credential-store';

// Overwrites only the value the worker read: a re-authorization stored meanwhile wins.
const REPLACE_IF_SAME = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0`;

/** Credentials in Redis. */
export class RedisCredentialStore implements CredentialStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_REDIS_PREFIX,
  ) {}

  where(what: 'component_verify_ticket' | 'authorizer_refresh_token', appId: string): string {
    const key = what === 'component_verify_ticket' ? verifyTicketKey(appId, this.prefix) : refreshTokenKey(appId, this.prefix);
    return `Redis key ${key}`;
  }

  async getVerifyTicket(componentAppId: string): Promise<string | undefined> {
    return (await this.redis.get(verifyTicketKey(componentAppId, this.prefix))) ?? undefined;
  }

  async getRefreshToken(authorizerAppId: string): Promise<string | undefined> {
    return (await this.redis.get(refreshTokenKey(authorizerAppId, this.prefix))) ?? undefined;
  }

  async replaceRefreshToken(authorizerAppId: string, previous: string, next: string): Promise<boolean> {
    const written = await this.redis.eval(REPLACE_IF_SAME, 1, refreshTokenKey(authorizerAppId, this.prefix), previous, next);
    return written === 1;
  }
}
