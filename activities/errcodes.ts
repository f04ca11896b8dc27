/**
 * DESIGN's table of WeChat answers as one data structure: what each errcode means and how a
 * workflow treats it. `classifyFailure` is the only place that reads it.
 */
import { WeChatFailureType } from '../common/wechat-answers';
import type { WeChatApiError } from './wechat-api-error';

/** An answer that is not an error for one API: the workflow goes on (or ends) with this meaning. */
export const BenignAnswer = {
  /** 89010 / 89035: an invitation is already pending; go on to waiting. */
  InvitationPending: 'invitation_pending',
  /** 89015: the mini program is already linked. */
  AlreadyLinked: 'already_linked',
  /** 89018: the unlink message was already sent; go on waiting. */
  UnlinkPending: 'unlink_pending',
} as const;
export type BenignAnswer = (typeof BenignAnswer)[keyof typeof BenignAnswer];

/** The APIs whose answers are classified. */
export type LinkApi = 'wxamplink' | 'wxampunlink' | 'wxamplinkget';

/** Per API, the errcodes that are answers rather than failures. */
export const BENIGN_ERRCODES: Readonly<Record<LinkApi, Readonly<Record<number, BenignAnswer>>>> = {
  wxamplink: { 89010: BenignAnswer.InvitationPending, 89035: BenignAnswer.InvitationPending, 89015: BenignAnswer.AlreadyLinked },
  wxampunlink: { 89018: BenignAnswer.UnlinkPending },
  wxamplinkget: {},
};

/**
 * What a refusal means when `wxamplinkget` answers it. That call names no mini program: it is about
 * the whole account, so a refusal there would end every link and unlink waiting on the account.
 * Only codes that say the account itself can no longer be served (its authorization or this API's
 * permission is gone) settle that from one answer; the rest need confirming.
 */
export interface AccountVerdict {
  /** True: one answer ends the waiters `refused`; false: an unconfirmed refusal, retried until confirmed. */
  definitive: boolean;
  /** Why, in words an operator reads in the failure. */
  why: string;
}

/** One row of the errcode table. */
export interface ErrcodeRule {
  type: WeChatFailureType;
  meaning: string;
  /** For refusals: the verdict when `wxamplinkget`, a call about the whole account, answers the code. */
  account?: AccountVerdict;
}

/** Whom a call is about: one pair (`wxamplink`, `wxampunlink`) or the whole account (`wxamplinkget`). */
export const CallScope = {
  Pair: 'pair',
  Account: 'account',
} as const;
export type CallScope = (typeof CallScope)[keyof typeof CallScope];

const transient = (meaning: string): ErrcodeRule => ({ type: WeChatFailureType.Transient, meaning });
const refused = (meaning: string, account: AccountVerdict): ErrcodeRule => ({ type: WeChatFailureType.Refused, meaning, account });
const accountDefinitive = (why: string): AccountVerdict => ({ definitive: true, why });
const unconfirmed = (why: string): AccountVerdict => ({ definitive: false, why });

/** Refusals about one mini program: `wxamplinkget` names none, so from it they are odd answers. */
const ABOUT_A_MINI_PROGRAM = unconfirmed('it is about one mini program, and wxamplinkget names none: an odd answer, not a verdict on the account');
/** Monthly link quotas of the account: they stop new links, not reading the list. */
const ABOUT_NEW_LINKS = unconfirmed('it limits new links of the account, not reading its list: an odd answer to wxamplinkget');

/** Every errcode with a known treatment. Codes not listed are undocumented (see {@link classifyFailure}). */
export const ERRCODE_TABLE: Readonly<Record<number, ErrcodeRule>> = {
  [-1]: transient('system busy'),
  45011: { type: WeChatFailureType.RateLimited, meaning: 'API call frequency limit reached' },
  45009: { type: WeChatFailureType.QuotaExhausted, meaning: 'daily API quota used up' },
  40001: { type: WeChatFailureType.TokenRejected, meaning: 'invalid credential: access token invalid or not the latest' },
  40014: { type: WeChatFailureType.TokenRejected, meaning: 'invalid access token' },
  42001: { type: WeChatFailureType.TokenRejected, meaning: 'access token expired' },
  40013: refused('invalid appid', accountDefinitive("the account's own appid is invalid: no call for it can succeed")),
  48001: refused(
    'API unauthorized: the account has not granted this permission set to the platform',
    accountDefinitive('the account withheld the permission set that wxamplinkget needs'),
  ),
  50001: refused(
    'user unauthorized: the account may not use this API',
    accountDefinitive('the account itself lacks the right to this API; only its admin can change that'),
  ),
  61003: refused(
    'the account has not authorized the third-party platform',
    accountDefinitive('the authorization of the platform is gone (cancelled by the account)'),
  ),
  61007: refused('the account has not authorized this API to the third-party platform', accountDefinitive('the account withheld this API from the platform')),
  61023: refused(
    'refresh token invalid: the account must authorize the platform again',
    accountDefinitive('the authorization was revoked: the account must authorize the platform again'),
  ),
  50002: refused('user limited: the account is restricted', unconfirmed('restrictions of an account are often temporary (an appeal, a time-limited penalty)')),
  89007: refused('the mini program has used up its links for this month', ABOUT_A_MINI_PROGRAM),
  89008: refused('the mini program is an overseas account and cannot be linked', ABOUT_A_MINI_PROGRAM),
  89009: refused('the mini program has reached its link limit', ABOUT_A_MINI_PROGRAM),
  89011: refused('a mini program shown in "nearby" cannot be unlinked', ABOUT_A_MINI_PROGRAM),
  89012: refused('a store mini program cannot be unlinked', ABOUT_A_MINI_PROGRAM),
  89013: refused('the mini program is banned', ABOUT_A_MINI_PROGRAM),
  89016: refused("the account reached this month's limit of links with the same subject", ABOUT_NEW_LINKS),
  89017: refused("the account reached this month's limit of links with different subjects", ABOUT_NEW_LINKS),
};

/** How a failed call is classified. */
export interface Classification {
  type: WeChatFailureType;
  meaning: string;
}

/**
 * Classifies a failed call by errcode or transport failure. For a call about one pair, an
 * undocumented errcode or an HTTP 4xx is a refusal at once (DESIGN: never an endless retry). For
 * a call about the whole account (`wxamplinkget`), only a refusal the table marks definitive for
 * the account is one; an undocumented code, any other refusal or an HTTP 4xx is an
 * {@link WeChatFailureType.UnconfirmedRefusal}, retried until the workflow's policy confirms it.
 */
export function classifyFailure(error: WeChatApiError, scope: CallScope = CallScope.Pair): Classification {
  switch (error.kind) {
    case 'errcode':
      return classifyErrcode(error.errcode ?? 0, scope);
    case 'http_status':
      return classifyHttpStatus(error.httpStatus ?? 0, scope);
    case 'bad_body':
      return transient('the answer was garbled');
    case 'too_large':
      return transient('the answer was larger than any WeChat answer');
    case 'network':
      return transient('network error');
    case 'timeout':
      return transient('no answer in time');
  }
}

function classifyErrcode(errcode: number, scope: CallScope): Classification {
  const rule = ERRCODE_TABLE[errcode];
  if (rule === undefined) {
    return scope === CallScope.Account
      ? unconfirmedRefusal(`errcode ${errcode} is not documented`)
      : { type: WeChatFailureType.Refused, meaning: `errcode ${errcode} is not documented: treated as definitive` };
  }
  if (scope === CallScope.Account && rule.account) {
    const { definitive, why } = rule.account;
    return definitive
      ? { type: WeChatFailureType.Refused, meaning: `${rule.meaning} (definitive for the account: ${why})` }
      : unconfirmedRefusal(`${rule.meaning} (${why})`);
  }
  return { type: rule.type, meaning: rule.meaning };
}

function classifyHttpStatus(status: number, scope: CallScope): Classification {
  if (status === 429) return { type: WeChatFailureType.RateLimited, meaning: `HTTP ${status}` };
  if (status >= 500 || status === 408) return transient(`HTTP ${status}`);
  // A 4xx means the request can never succeed as sent (wrong base URL, a proxy refusing it):
  // better one clear refusal than days of retries. About a whole account, though, one answer
  // from a proxy is not enough to end every waiter.
  return scope === CallScope.Account ? unconfirmedRefusal(`HTTP ${status}`) : { type: WeChatFailureType.Refused, meaning: `HTTP ${status}` };
}

/** A refusal of a call about the whole account that one answer does not settle. */
function unconfirmedRefusal(what: string): Classification {
  return {
    type: WeChatFailureType.UnconfirmedRefusal,
    meaning: `${what}: one answer about the whole account does not settle it; retried until the refusal is confirmed`,
  };
}

/** The benign meaning of an errcode for one API, if it has one. */
export function benignAnswer(api: LinkApi, errcode: number | undefined): BenignAnswer | undefined {
  return errcode === undefined ? undefined : BENIGN_ERRCODES[api][errcode];
}
