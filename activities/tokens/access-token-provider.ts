/** The small interface every access-token source implements, and its one error. */

/** Where the activities get an official account's access token from. */
export interface AccessTokenProvider {
  /** A token for the account, possibly cached. @throws {@link AccessTokenUnavailableError} */
  getToken(accountAppId: string): Promise<string>;
  /**
   * WeChat rejected `rejectedToken`: forget it if it is still the current one (a token fetched
   * meanwhile by someone else is kept). Resolves `true` when asking again may give another token.
   */
  invalidate(accountAppId: string, rejectedToken: string): Promise<boolean>;
  /** Where tokens come from, for error messages (e.g. `WECHAT_ACCESS_TOKENS`). Never a secret. */
  readonly source: string;
  /** Releases connections (Redis) when the worker stops. Optional: most providers hold none. */
  close?(): Promise<void>;
}

/** What a token endpoint answered, when the failure came from WeChat's own token API. */
export interface TokenEndpointFailure {
  /** The token API, e.g. `stable_token` or `api_authorizer_token`. */
  endpoint: string;
  errcode?: number;
  /** WeChat's errmsg, redacted. */
  errmsg?: string;
}

/**
 * No token could be had for an account. The message says why and what fixes it, and never holds
 * a secret. Retryable: the workflow backs off and goes on once configuration, the platform's
 * callback service or WeChat provides a token.
 */
export class AccessTokenUnavailableError extends Error {
  readonly accountAppId: string;
  /** Set when a WeChat token endpoint answered an error. */
  readonly endpointFailure: TokenEndpointFailure | undefined;
  constructor(accountAppId: string, message: string, options?: { cause?: Error; endpointFailure?: TokenEndpointFailure }) {
    super(message, options?.cause ? { cause: options.cause } : undefined);
    this.name = 'AccessTokenUnavailableError';
    this.accountAppId = accountAppId;
    this.endpointFailure = options?.endpointFailure;
  }

  /** The errcode of the token endpoint's answer, if it answered one. */
  get errcode(): number | undefined {
    return this.endpointFailure?.errcode;
  }
}
