/**
 * DESIGN's table of WeChat answers as one data structure: what each errcode means and how a
 * workflow treats it. `classifyFailure` is the only place that reads it.
 */
import { WeChatFailureType } from '../workflows/contract';
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

/** One row of the errcode table. */
export interface ErrcodeRule {
  type: WeChatFailureType;
  meaning: string;
}

const transient = (meaning: string): ErrcodeRule => ({ type: WeChatFailureType.Transient, meaning });
const refused = (meaning: string): ErrcodeRule => ({ type: WeChatFailureType.Refused, meaning });

/** Every errcode with a known treatment. Codes not listed are definitive refusals. */
export const ERRCODE_TABLE: Readonly<Record<number, ErrcodeRule>> = {
  [-1]: transient('system busy'),
  45011: { type: WeChatFailureType.RateLimited, meaning: 'API call frequency limit reached' },
  45009: { type: WeChatFailureType.QuotaExhausted, meaning: 'daily API quota used up' },
  40001: { type: WeChatFailureType.TokenRejected, meaning: 'invalid credential: access token invalid or not the latest' },
  40014: { type: WeChatFailureType.TokenRejected, meaning: 'invalid access token' },
  42001: { type: WeChatFailureType.TokenRejected, meaning: 'access token expired' },
  40013: refused('invalid appid'),
  48001: refused('API unauthorized: the account has not granted this permission set to the platform'),
  61007: refused('the account has not authorized this API to the third-party platform'),
  61023: refused('refresh token invalid: the account must authorize the platform again'),
  89007: refused('the mini program has used up its links for this month'),
  89008: refused('the mini program is an overseas account and cannot be linked'),
  89009: refused('the mini program has reached its link limit'),
  89011: refused('a mini program shown in "nearby" cannot be unlinked'),
  89012: refused('a store mini program cannot be unlinked'),
  89013: refused('the mini program is banned'),
  89016: refused('the account reached this month\'s limit of links with the same subject'),
  89017: refused('the account reached this month\'s limit of links with different subjects'),
};

/** How a failed call is classified. */
export interface Classification {
  type: WeChatFailureType;
  meaning: string;
}

/** Classifies a failed call by errcode or transport failure. Unknown errcodes are refusals. */
export function classifyFailure(error: WeChatApiError): Classification {
  switch (error.kind) {
    case 'errcode': {
      const errcode = error.errcode ?? 0;
      return ERRCODE_TABLE[errcode] ?? refused(`errcode ${errcode} is not documented: treated as definitive`);
    }
    case 'http_status':
      return classifyHttpStatus(error.httpStatus ?? 0);
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

function classifyHttpStatus(status: number): Classification {
  if (status === 429) return { type: WeChatFailureType.RateLimited, meaning: `HTTP ${status}` };
  if (status >= 500 || status === 408) return transient(`HTTP ${status}`);
  // A 4xx means the request can never succeed as sent (wrong base URL, a proxy refusing it):
  // better one clear refusal than days of retries.
  return refused(`HTTP ${status}`);
}

/** The benign meaning of an errcode for one API, if it has one. */
export function benignAnswer(api: LinkApi, errcode: number | undefined): BenignAnswer | undefined {
  return errcode === undefined ? undefined : BENIGN_ERRCODES[api][errcode];
}
