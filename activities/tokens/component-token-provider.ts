/**
 * Tokens of official accounts that authorized a third-party platform (第三方平台):
 * 1. `component_access_token` from `api_component_token` with the platform's appid, secret and the
 *    latest `component_verify_ticket` (read from the {@link CredentialStore}); cached like any
 *    token, since its daily quota is small;
 * 2. `authorizer_access_token` from `api_authorizer_token` with the account's
 *    `authorizer_refresh_token` (from the store). When WeChat answers a new refresh token it is
 *    written back at once (compare-and-set), inside the account's refresh lock, so no rotation is
 *    lost and no two workers rotate one account at the same time.
 */
import { redact } from '../redact';
import { AccessTokenUnavailableError, type AccessTokenProvider } from './access-token-provider';
import type { CredentialStore } from './credential-store';
import { TokenCache, type FetchedToken } from './token-cache';
import { expiresInSec, stringField, type TokenEndpointClient } from './token-endpoint';
import { tokenLog } from './token-log';
import type { TokenStore } from './token-store';

/** Options of {@link ComponentTokenProvider}. */
export interface ComponentTokenOptions {
  endpoint: TokenEndpointClient;
  componentAppId: string;
  componentAppSecret: string;
  /** Where the secret comes from, for error messages. @default 'WECHAT_COMPONENT_APPSECRET' */
  secretSource?: string;
  /** Where tickets and refresh tokens are. */
  credentials: CredentialStore;
  /** Where component tokens are shared. @default in this process */
  componentTokenStore?: TokenStore;
  /** Where authorizer tokens are shared. @default in this process */
  authorizerTokenStore?: TokenStore;
  /** Tokens are renewed this long before they expire. @default 300000 */
  expiryMarginMs?: number;
}

/** WeChat's answers that mean "the component token you sent is not (or no longer) good". */
const COMPONENT_TOKEN_REJECTED = new Set([40001, 40014, 42001]);

/** Authorizer tokens for a third-party platform. */
export class ComponentTokenProvider implements AccessTokenProvider {
  readonly source = 'WECHAT_COMPONENT_APPID (third-party platform)';
  private readonly componentTokens: TokenCache;
  private readonly authorizerTokens: TokenCache;
  /** Rotated refresh tokens that could not be written back yet: never lose one (the old one is dead). */
  private readonly unsaved = new Map<string, { previous: string; next: string }>();

  constructor(private readonly options: ComponentTokenOptions) {
    const margin = options.expiryMarginMs !== undefined ? { expiryMarginMs: options.expiryMarginMs } : {};
    this.componentTokens = new TokenCache({
      fetch: () => this.fetchComponentToken(),
      metricSource: 'component_access_token',
      ...(options.componentTokenStore && { store: options.componentTokenStore }),
      ...margin,
    });
    this.authorizerTokens = new TokenCache({
      fetch: (appId) => this.fetchAuthorizerToken(appId),
      metricSource: 'authorizer_access_token',
      ...(options.authorizerTokenStore && { store: options.authorizerTokenStore }),
      ...margin,
    });
  }

  getToken(accountAppId: string): Promise<string> {
    return this.authorizerTokens.get(accountAppId);
  }

  async invalidate(accountAppId: string, rejectedToken: string): Promise<boolean> {
    // api_authorizer_token always issues a new token: no force flag is needed.
    await this.authorizerTokens.invalidate(accountAppId, rejectedToken);
    return true;
  }

  async close(): Promise<void> {
    await this.componentTokens.store.close?.();
    await this.authorizerTokens.store.close?.();
    await this.options.credentials.close?.();
  }

  private async fetchComponentToken(): Promise<FetchedToken> {
    const { componentAppId, componentAppSecret } = this.options;
    const ticket = await this.stored(componentAppId, () => this.options.credentials.getVerifyTicket(componentAppId));
    if (ticket === undefined) {
      throw new AccessTokenUnavailableError(
        componentAppId,
        `no component_access_token for ${componentAppId}: no component_verify_ticket in ${this.options.credentials.where('component_verify_ticket', componentAppId)}; the platform's callback service stores it when WeChat pushes it (about every 10 minutes); retrying with back-off`,
      );
    }
    const answer = await this.options.endpoint.post({
      path: '/cgi-bin/component/api_component_token',
      body: { component_appid: componentAppId, component_appsecret: componentAppSecret, component_verify_ticket: ticket },
      accountAppId: componentAppId,
      secrets: [componentAppSecret, ticket],
      setting: `${this.options.secretSource ?? 'WECHAT_COMPONENT_APPSECRET'} or WECHAT_COMPONENT_APPID`,
    });
    const token = stringField(answer, 'component_access_token');
    if (token === undefined)
      throw new AccessTokenUnavailableError(componentAppId, `no component_access_token for ${componentAppId}: api_component_token answered without one`);
    return { token, expiresInSec: expiresInSec(answer) };
  }

  private async fetchAuthorizerToken(appId: string): Promise<FetchedToken> {
    const { componentAppId } = this.options;
    for (let attempt = 1; ; attempt++) {
      const componentToken = await this.componentTokens.get(componentAppId);
      const refreshToken = this.unsaved.get(appId)?.next ?? (await this.stored(appId, () => this.options.credentials.getRefreshToken(appId)));
      if (refreshToken === undefined) {
        throw new AccessTokenUnavailableError(
          appId,
          `no access token for ${appId}: the account has not authorized platform ${componentAppId} (no authorizer_refresh_token in ${this.options.credentials.where('authorizer_refresh_token', appId)}); it must authorize the platform, then the workflow goes on`,
        );
      }
      try {
        const answer = await this.options.endpoint.post({
          path: '/cgi-bin/component/api_authorizer_token',
          query: { component_access_token: componentToken },
          body: { component_appid: componentAppId, authorizer_appid: appId, authorizer_refresh_token: refreshToken },
          accountAppId: appId,
          secrets: [componentToken, refreshToken],
          setting: `the authorization of ${appId} (${this.options.credentials.where('authorizer_refresh_token', appId)})`,
        });
        const token = stringField(answer, 'authorizer_access_token');
        if (token === undefined)
          throw new AccessTokenUnavailableError(appId, `no access token for ${appId}: api_authorizer_token answered without authorizer_access_token`);
        // What the store holds is the token we read, or the one before an unsaved rotation.
        const inStore = this.unsaved.get(appId)?.previous ?? refreshToken;
        const latest = stringField(answer, 'authorizer_refresh_token') ?? refreshToken;
        if (latest !== inStore) await this.saveRotated(appId, inStore, latest);
        return { token, expiresInSec: expiresInSec(answer) };
      } catch (error) {
        // The component token was refused (another platform process refreshed it, or it expired early): once more with a fresh one.
        const rejected = error instanceof AccessTokenUnavailableError && COMPONENT_TOKEN_REJECTED.has(error.errcode ?? 0);
        if (!rejected || attempt > 1) throw error;
        await this.componentTokens.invalidate(componentAppId, componentToken);
      }
    }
  }

  /** Writes a rotated refresh token back; kept in memory (and retried next time) if the store fails. */
  private async saveRotated(appId: string, previous: string, next: string): Promise<void> {
    try {
      const written = await this.options.credentials.replaceRefreshToken(appId, previous, next);
      this.unsaved.delete(appId);
      if (!written)
        tokenLog('info', 'the stored authorizer_refresh_token changed meanwhile (a new authorization); keeping the stored one', { accountAppId: appId });
    } catch (error) {
      this.unsaved.set(appId, { previous, next });
      tokenLog('error', 'could not write back the rotated authorizer_refresh_token; kept in memory and retried at the next refresh', {
        accountAppId: appId,
        error: redact(error instanceof Error ? error.message : String(error), [previous, next]),
      });
    }
  }

  /** Reads the credential store; its failures become retryable, redacted errors. */
  private async stored(appId: string, read: () => Promise<string | undefined>): Promise<string | undefined> {
    try {
      return await read();
    } catch (error) {
      // Library errors may carry the command's arguments: keep the message only.
      const message = redact(error instanceof Error ? error.message : String(error));
      throw new AccessTokenUnavailableError(appId, `no access token for ${appId}: the credential store failed: ${message}; retrying with back-off`);
    }
  }
}
