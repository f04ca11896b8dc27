/**
 * WeChat's vocabulary that both the workflows and the activities speak: the statuses of a
 * `wxamplinkget` entry, the fields waiting needs, and the `ApplicationFailure` types the
 * activities raise for each class of answer. Neither side owns it; workflows/contract.ts
 * re-exports it as part of the public contract.
 *
 * Imported by workflow code: no Node built-ins, no I/O, no package heavier than this file
 * (eslint.config.mjs holds common/*.ts to the workflows' rules).
 */

/** The `status` values of a `wxamplinkget` item that WeChat documents. Others are kept as pending. */
export const WxOpenStatus = {
  Linked: 1,
  WaitingForMiniProgramAdmin: 2,
  RefusedByMiniProgramAdmin: 3,
  WaitingForOfficialAccountAdmin: 12,
} as const;

/** A person-readable meaning of a `wxamplinkget` status, including the undocumented ones. */
export function statusMeaning(status: number): string {
  switch (status) {
    case WxOpenStatus.Linked:
      return 'linked';
    case WxOpenStatus.WaitingForMiniProgramAdmin:
      return 'waiting for the mini-program admin';
    case WxOpenStatus.RefusedByMiniProgramAdmin:
      return 'refused by the mini-program admin';
    case WxOpenStatus.WaitingForOfficialAccountAdmin:
      return 'waiting for the official-account admin';
    default:
      return `undocumented status ${status} (treated as pending)`;
  }
}

/** The fields of a `wxamplinkget` item that waiting needs (what the snapshot activity returns). */
export interface SnapshotItem {
  appid?: string;
  username: string;
  status: number;
  nickname?: string;
}

/** One entry of `wxamplinkget`, every field under WeChat's own name, plus its status's meaning. */
export type LinkedMiniProgram = Record<string, unknown> & {
  status: number;
  username: string;
  appid?: string;
  nickname?: string;
  statusMeaning: string;
};

/** `ApplicationFailure` types that the activities raise, one per class of WeChat answer. */
export const WeChatFailureType = {
  /** -1, HTTP 5xx, network error, time-out, a body that is not JSON: retried with back-off. */
  Transient: 'WeChatTransient',
  /** 45011 (or HTTP 429): retried with a longer back-off. */
  RateLimited: 'WeChatRateLimited',
  /** 45009: retried after an hour or more, within the workflow's timeout. */
  QuotaExhausted: 'WeChatQuotaExhausted',
  /** 40001, 40014, 42001 even after a fresh token: retried with back-off until a good token appears. */
  TokenRejected: 'WeChatTokenRejected',
  /** No access token could be had for the account (configuration or token service). */
  TokenUnavailable: 'AccessTokenUnavailable',
  /** A definitive errcode: not retried; the workflow ends `refused`. */
  Refused: 'WeChatRefused',
  /**
   * A refusal of `wxamplinkget` (a call about the whole account, not one pair) that one answer
   * cannot settle: an undocumented errcode or an HTTP 4xx. Retried with back-off; the waiters end
   * `refused` only after the operator's number of such answers in a row over the operator's span
   * (3 over 10 minutes by default). Errcodes that the errcode table marks as definitive for the
   * account (authorization revoked, API unauthorized) are {@link WeChatFailureType.Refused} at once.
   */
  UnconfirmedRefusal: 'WeChatUnconfirmedRefusal',
} as const;
export type WeChatFailureType = (typeof WeChatFailureType)[keyof typeof WeChatFailureType];
