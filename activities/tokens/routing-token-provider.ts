/**
 * Several token sources at once, each covering some accounts: per-account static tokens, then
 * accounts with their own secret, then the platform's authorizers, then the token service, then
 * one shared static token. The first source that covers an account serves it, both for tokens
 * and for invalidation.
 */
import { AccessTokenUnavailableError, type AccessTokenProvider } from './access-token-provider';

/** One source and the accounts it serves. */
export interface TokenRoute {
  provider: AccessTokenProvider;
  /** Whether this source serves the account. */
  covers(accountAppId: string): boolean;
}

/** Routes each account to the first source that covers it. */
export class RoutingTokenProvider implements AccessTokenProvider {
  readonly source: string;

  /** `missingHint` completes the message for an account no route covers (which settings to add). */
  constructor(
    private readonly routes: readonly TokenRoute[],
    private readonly missingHint: string,
  ) {
    this.source = routes.map((route) => route.provider.source).join(', then ') || 'no token source';
  }

  getToken(accountAppId: string): Promise<string> {
    const route = this.route(accountAppId);
    if (route) return route.provider.getToken(accountAppId);
    return Promise.reject(
      new AccessTokenUnavailableError(accountAppId, `no access token is configured for official account ${accountAppId}: ${this.missingHint}`),
    );
  }

  invalidate(accountAppId: string, rejectedToken: string): Promise<boolean> {
    return this.route(accountAppId)?.provider.invalidate(accountAppId, rejectedToken) ?? Promise.resolve(false);
  }

  async close(): Promise<void> {
    await Promise.all(this.routes.map((route) => route.provider.close?.() ?? Promise.resolve()));
  }

  private route(accountAppId: string): TokenRoute | undefined {
    return this.routes.find((route) => route.covers(accountAppId));
  }
}
