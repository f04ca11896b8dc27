// The vocabulary of the simulator's token side: the three endpoints that issue access tokens, how
// long what they issue lives (scaled down in tests), and what tests configure and get back.
// Types and constants only, shared by the model, the endpoints, the control API and the tests.

/** The token endpoints the simulator speaks, by the last segment of their path. */
export const TokenEndpoint = {
  /** `POST /cgi-bin/stable_token`: an account's own token from its appid and secret. */
  StableToken: 'stable_token',
  /** `POST /cgi-bin/component/api_component_token`: the third-party platform's own token. */
  ComponentToken: 'api_component_token',
  /** `POST /cgi-bin/component/api_authorizer_token`: an authorized account's token, for the platform. */
  AuthorizerToken: 'api_authorizer_token',
} as const;
/** One of {@link TokenEndpoint}'s values. */
export type TokenEndpoint = (typeof TokenEndpoint)[keyof typeof TokenEndpoint];

/**
 * How long what the token endpoints issue lives. WeChat's values are the defaults; tests scale
 * them down to watch expiry, refresh and grace periods happen within seconds.
 */
export interface TokenPolicy {
  /** Lifetime of an issued access token (account, authorizer or component). @default 7200000 (2 h) */
  lifetimeMs: number;
  /**
   * A call without `force_refresh` returns the current token until this long before it expires,
   * then issues a new one (WeChat refreshes five minutes early). @default 300000
   */
  earlyRefreshMs: number;
  /** A replaced token keeps working this long after its successor was issued. @default 300000 */
  graceMs: number;
  /** A `component_verify_ticket` is accepted this long after it was pushed (then 61005). @default 43200000 (12 h) */
  ticketLifetimeMs: number;
  /** Every `api_authorizer_token` answer carries a new `authorizer_refresh_token`; the old one then fails (61023). @default false */
  rotateRefreshTokens: boolean;
}

/** WeChat's own values. */
export const DEFAULT_TOKEN_POLICY: Readonly<TokenPolicy> = {
  lifetimeMs: 7_200_000,
  earlyRefreshMs: 300_000,
  graceMs: 300_000,
  ticketLifetimeMs: 43_200_000,
  rotateRefreshTokens: false,
};

/** Input of `registerComponent`: a third-party platform. */
export interface ComponentOptions {
  componentAppId: string;
  /** A random one when omitted. */
  componentAppSecret?: string;
}

/** A registered third-party platform and its secret. */
export interface ComponentCredentials {
  componentAppId: string;
  componentAppSecret: string;
}

/** Input of `authorizeAccount`: an official account authorizes a platform. */
export interface AuthorizationOptions {
  componentAppId: string;
  /** The official account; registered (without a token of its own) if it is not yet. */
  authorizerAppId: string;
  /** As for `registerAccount`. @default true */
  includeAppId?: boolean;
}

/** What the authorization hands the platform: the refresh token it stores. */
export interface AuthorizerCredentials {
  componentAppId: string;
  authorizerAppId: string;
  authorizerRefreshToken: string;
}

/** How a token used on a link endpoint checks out: its account, or the errcode WeChat answers. */
export type TokenCheck = { ok: true; appId: string } | { ok: false; errcode: 40001 | 42001; appId: string | null };
