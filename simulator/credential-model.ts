// The credential half of the simulator's model: official accounts with their tokens and secrets,
// third-party platforms with their tickets and tokens, the authorizations between them, and the
// token endpoints' answers. SimulatorState builds the link half on top of it.
import { AccountRegistry, generateAccessToken } from './account-registry';
import { ComponentRegistry } from './component-registry';
import { type AccountCredentials, type AccountOptions, type WeChatAnswer } from './sim-types';
import { SimulatorError } from './simulator-error';
import { answerAuthorizerToken, answerComponentToken, answerStableToken, type TokenContext } from './token-answers';
import {
  type AuthorizationOptions,
  type AuthorizerCredentials,
  type ComponentCredentials,
  type ComponentOptions,
  DEFAULT_TOKEN_POLICY,
  TokenEndpoint,
  type TokenCheck,
  type TokenPolicy,
} from './token-types';

/** Options of {@link CredentialModel}. */
export interface CredentialModelOptions {
  /** The clock tokens and tickets expire by. @default Date.now */
  now?: () => number;
  /** Token generator for accounts registered without one, and for issued tokens. @default a random WeChat-looking token */
  generateToken?: () => string;
  /** Lifetimes of issued tokens and tickets. @default {@link DEFAULT_TOKEN_POLICY} */
  tokenPolicy?: Partial<TokenPolicy>;
}

/** Accounts, platforms, tokens and the token endpoints. */
export class CredentialModel {
  protected readonly accounts: AccountRegistry;
  protected readonly now: () => number;
  private readonly components: ComponentRegistry;
  private policy: TokenPolicy;
  /** Every token, secret, ticket and refresh token handed out, for tests that prove none leaks. */
  private readonly issued = new Set<string>();

  constructor(options: CredentialModelOptions = {}) {
    this.now = options.now ?? Date.now;
    this.accounts = new AccountRegistry(options.generateToken);
    this.components = new ComponentRegistry(options.generateToken ?? generateAccessToken);
    this.policy = checkPolicy({ ...DEFAULT_TOKEN_POLICY, ...options.tokenPolicy });
  }

  // ---- accounts ----

  /** Registers an official account (or returns the existing one, updating what is given) and its token. */
  registerAccount(options: AccountOptions): AccountCredentials {
    return this.noted(this.accounts.register(options));
  }

  /** Invalidates the account's token (it then gets 40001) and returns the fresh one issued in its place. */
  revokeToken(appId: string): AccountCredentials {
    return this.noted(this.accounts.revoke(appId));
  }

  /** Gives the account the token `accessToken`; the previous one stops working. */
  setAccessToken(appId: string, accessToken: string): AccountCredentials {
    this.accounts.setToken(appId, accessToken);
    return this.noted({ appId, accessToken });
  }

  // ---- third-party platforms ----

  /** Registers a third-party platform (a random secret when none is given); returns its credentials. */
  registerComponent(options: ComponentOptions): ComponentCredentials {
    const credentials = this.components.register(options);
    this.issued.add(credentials.componentAppSecret);
    return credentials;
  }

  /** WeChat pushes a `component_verify_ticket` to the platform (a random one when omitted); returns it. */
  pushComponentTicket(componentAppId: string, ticket?: string): string {
    return this.note(this.components.pushTicket(componentAppId, this.now(), ticket));
  }

  /** An official account authorizes the platform (registered if new); returns the refresh token the platform stores. */
  authorizeAccount(options: AuthorizationOptions): AuthorizerCredentials {
    if (!this.components.has(options.componentAppId)) {
      throw new SimulatorError('componentAppId', `no platform ${options.componentAppId} is registered`);
    }
    this.registerAccount({ appId: options.authorizerAppId, ...(options.includeAppId !== undefined && { includeAppId: options.includeAppId }) });
    const credentials = this.components.authorize(options.componentAppId, options.authorizerAppId);
    this.note(credentials.authorizerRefreshToken);
    return credentials;
  }

  // ---- token policy and secrecy ----

  /** Changes how long issued tokens and tickets live (fields left out keep their value); returns the policy. */
  setTokenPolicy(policy: Partial<TokenPolicy>): TokenPolicy {
    this.policy = checkPolicy({ ...this.policy, ...policy });
    return { ...this.policy };
  }

  /** Every access token, secret, ticket and refresh token the simulator handed out so far. */
  secretsIssued(): string[] {
    return [...this.issued];
  }

  // ---- the WeChat side, used by the endpoints ----

  /** The account a token belongs to, or undefined (→ 40001 or 42001). */
  accountForToken(accessToken: string): string | undefined {
    return this.accounts.resolve(accessToken, this.now());
  }

  /** How a token used on a link endpoint checks out now. */
  checkToken(accessToken: string): TokenCheck {
    return this.accounts.check(accessToken, this.now());
  }

  /** The answer of a token endpoint; `queryToken` is the component token in the query (authorizer tokens only). */
  answerTokenRequest(endpoint: TokenEndpoint, queryToken: string | null, fields: Record<string, unknown>): WeChatAnswer {
    const ctx: TokenContext = { accounts: this.accounts, components: this.components, now: this.now(), policy: this.policy, note: (s) => this.note(s) };
    switch (endpoint) {
      case TokenEndpoint.StableToken:
        return answerStableToken(ctx, fields);
      case TokenEndpoint.ComponentToken:
        return answerComponentToken(ctx, fields);
      case TokenEndpoint.AuthorizerToken:
        return answerAuthorizerToken(ctx, queryToken, fields);
    }
  }

  /** Forgets every account, platform, token and secret, and restores WeChat's lifetimes. */
  protected clearCredentials(): void {
    this.accounts.clear();
    this.components.clear();
    this.issued.clear();
    this.policy = { ...DEFAULT_TOKEN_POLICY };
  }

  private note(secret: string): string {
    this.issued.add(secret);
    return secret;
  }

  private noted(credentials: AccountCredentials): AccountCredentials {
    this.note(credentials.accessToken);
    if (credentials.appSecret !== undefined) this.note(credentials.appSecret);
    return credentials;
  }
}

function checkPolicy(policy: TokenPolicy): TokenPolicy {
  for (const field of ['lifetimeMs', 'earlyRefreshMs', 'graceMs', 'ticketLifetimeMs'] as const) {
    const value = policy[field];
    if (!(Number.isFinite(value) && value >= 0)) throw new SimulatorError(field, `must be a number of milliseconds >= 0, got ${String(value)}`);
  }
  if (policy.lifetimeMs < 1000) throw new SimulatorError('lifetimeMs', 'must be at least 1000 (expires_in is in whole seconds)');
  if (typeof policy.rotateRefreshTokens !== 'boolean') throw new SimulatorError('rotateRefreshTokens', 'must be a boolean');
  return policy;
}
