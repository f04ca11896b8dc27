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
}

/** No token could be had for an account. The message says why and never holds a secret. */
export class AccessTokenUnavailableError extends Error {
  readonly accountAppId: string;
  constructor(accountAppId: string, message: string, options?: { cause?: Error }) {
    super(message, options);
    this.name = 'AccessTokenUnavailableError';
    this.accountAppId = accountAppId;
  }
}
