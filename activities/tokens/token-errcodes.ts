/**
 * What the errcodes of WeChat's token endpoints mean and what fixes them, as one table (the
 * token-side sibling of `errcodes.ts`). Every failure to get a token becomes the retryable
 * `AccessTokenUnavailable`: the workflow backs off (a minute or more) and goes on by itself once
 * the cause is fixed, so the table only decides the words an operator reads in `lastError`.
 */

/** Who or what can fix a token failure. */
export const TokenFix = {
  /** WeChat or the network: retrying is enough. */
  Wait: 'wait',
  /** The worker's configuration (a secret, an appid, the IP whitelist). */
  Operator: 'operator',
  /** WeChat pushes a new component_verify_ticket about every 10 minutes. */
  NextTicket: 'next_ticket',
  /** The official account must authorize the platform again. */
  Reauthorize: 'reauthorize',
} as const;
export type TokenFix = (typeof TokenFix)[keyof typeof TokenFix];

/** One row of the token errcode table. */
export interface TokenErrcodeRule {
  meaning: string;
  fix: TokenFix;
}

/** The token endpoints' errcodes with a known meaning. Unknown ones are shown with WeChat's errmsg. */
export const TOKEN_ERRCODES: Readonly<Record<number, TokenErrcodeRule>> = {
  [-1]: { meaning: 'WeChat is busy', fix: TokenFix.Wait },
  40001: { meaning: 'the component token was refused', fix: TokenFix.Wait },
  40002: { meaning: 'the request is malformed', fix: TokenFix.Operator },
  40013: { meaning: 'WeChat knows no such appid', fix: TokenFix.Operator },
  40125: { meaning: 'the secret is wrong, or was reset in the WeChat console', fix: TokenFix.Operator },
  40164: { meaning: "the worker's outbound IP is not on the account's IP whitelist", fix: TokenFix.Operator },
  41002: { meaning: 'the appid is missing', fix: TokenFix.Operator },
  41004: { meaning: 'the secret is missing', fix: TokenFix.Operator },
  42001: { meaning: 'the component token expired', fix: TokenFix.Wait },
  45009: { meaning: 'the daily quota of this token API is used up', fix: TokenFix.Wait },
  45011: { meaning: 'the per-minute limit of this token API was reached', fix: TokenFix.Wait },
  61003: { meaning: 'the account has not authorized this platform', fix: TokenFix.Reauthorize },
  61004: { meaning: "the worker's outbound IP is not on the platform's IP whitelist", fix: TokenFix.Operator },
  61005: { meaning: 'the component_verify_ticket has expired', fix: TokenFix.NextTicket },
  61006: { meaning: 'the component_verify_ticket is invalid', fix: TokenFix.NextTicket },
  61023: { meaning: 'the authorizer_refresh_token is invalid', fix: TokenFix.Reauthorize },
};

/** What a fix asks for, in words; `setting` names where the credential comes from. */
export function fixAdvice(fix: TokenFix, setting: string): string {
  switch (fix) {
    case TokenFix.Wait:
      return 'retrying with back-off';
    case TokenFix.Operator:
      return `fix ${setting}; the workflow goes on by itself once it is right`;
    case TokenFix.NextTicket:
      return "waiting for WeChat's next ticket push (about every 10 minutes), which the platform's callback service stores; retrying with back-off";
    case TokenFix.Reauthorize:
      return 'the account must authorize the platform again; the workflow goes on once the callback service stores the new refresh token';
  }
}

/** The row for `errcode`, or one built from WeChat's errmsg for a code the table does not know. */
export function tokenErrcodeRule(errcode: number, errmsg: string): TokenErrcodeRule {
  return TOKEN_ERRCODES[errcode] ?? { meaning: errmsg ? `undocumented answer (${errmsg})` : 'undocumented answer', fix: TokenFix.Operator };
}
