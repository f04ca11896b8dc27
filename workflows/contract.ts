/**
 * The public contract of wxamp-link, in one place: task queue, workflow types, inputs, results,
 * outcomes, queries, signals, search attributes and failure types. Both the workflows and the
 * client library import it, so a name changes here or nowhere. See `shared/DESIGN.md`.
 *
 * This module must stay importable from the workflow sandbox: no Node built-ins, no I/O.
 */
import { defineSearchAttributeKey, SearchAttributeType, type Duration } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Task queue the worker polls unless `WXAMP_TASK_QUEUE` says otherwise. */
export const DEFAULT_TASK_QUEUE = 'wxamp-link';

/** Workflow type names, as registered with Temporal. */
export const WorkflowType = {
  Link: 'linkMiniProgram',
  Unlink: 'unlinkMiniProgram',
  List: 'listLinkedMiniPrograms',
} as const;
export type WorkflowType = (typeof WorkflowType)[keyof typeof WorkflowType];

/** How a link workflow ended. See {@link LinkResult}. */
export const LinkOutcome = {
  /** `wxamplinkget` shows the mini program with status 1. */
  Linked: 'linked',
  /** `wxamplink` answered 89015. */
  AlreadyLinked: 'already_linked',
  /** Status 3: the mini-program admin refused. */
  Rejected: 'rejected',
  /** WeChat refused the request with a definitive errcode (`errcode`, `errmsg` in the result). */
  Refused: 'refused',
  /** The pending entry disappeared before reaching 1 or 3. */
  Expired: 'expired',
  /** `timeout` passed while still waiting. */
  TimedOut: 'timed_out',
} as const;
export type LinkOutcome = (typeof LinkOutcome)[keyof typeof LinkOutcome];

/** Where a link workflow is in its story. */
export const LinkPhase = {
  Sending: 'sending',
  Waiting: 'waiting',
  Done: 'done',
} as const;
export type LinkPhase = (typeof LinkPhase)[keyof typeof LinkPhase];

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

/** Input of {@link WorkflowType.Link | linkMiniProgram}. */
export interface LinkInput {
  /** The authorizer official account whose access token is used. */
  officialAccountAppId: string;
  /** The mini program's appid, sent to `wxamplink`. */
  miniProgramAppId: string;
  /** `notify_users`: notify the account's followers by template message. @default false */
  notifyUsers?: boolean;
  /** `show_profile`: show the mini program on the account's profile page. @default false */
  showProfile?: boolean;
  /** The mini program's `gh_…` username, if known: lets older `wxamplinkget` answers be matched. */
  miniProgramUsername?: string;
  /** First wait between `wxamplinkget` polls. @default '15s' */
  pollInterval?: Duration;
  /** The polls back off up to this while nothing changes. @default '5m' */
  maxPollInterval?: Duration;
  /** Give up waiting for the admins after this long. @default '7d' */
  timeout?: Duration;
  /**
   * Continue as new once a run's history has this many events (the wait goes on in a fresh run
   * with the same workflow id and state). An addition to DESIGN. @default 4000
   */
  maxHistoryEvents?: number;
}

/** The fields of a `wxamplinkget` item that waiting needs (what the snapshot activity returns). */
export interface SnapshotItem {
  appid?: string;
  username: string;
  status: number;
  nickname?: string;
}

/** One status seen by a link workflow, in order. */
export interface StatusTransition {
  status: number;
  /** ISO-8601 time of the poll that first showed this status. */
  at: string;
}

/** The last failed WeChat call, as a workflow records it (never holds an access token). */
export interface LastError {
  /** Failure type, one of {@link WeChatFailureType} or `ActivityTimeout`. */
  type: string;
  message: string;
  errcode?: number;
  errmsg?: string;
  /** ISO-8601 time the failure was recorded. */
  at: string;
  /** How many calls in a row have failed so far. */
  consecutiveFailures: number;
}

/** How the workflow recognises its entry in `wxamplinkget` answers. */
export interface EntryMatching {
  /** How the entry was found, or `null` while it has not been. */
  by: 'appid' | 'username' | 'snapshot_diff' | 'only_pending_entry' | null;
  /** Why the entry is not matched yet (for example two unknown candidates), or `null`. */
  note: string | null;
  /** Usernames that could be ours when the match is ambiguous. */
  candidates: string[];
}

/** What {@link getLinkState} answers at any time. */
export interface LinkState {
  workflow: 'link' | 'unlink';
  officialAccountAppId: string;
  miniProgramAppId: string;
  phase: LinkPhase;
  /** Last status seen for our entry, or `null` before it was seen. */
  status: number | null;
  statusMeaning: string | null;
  outcome: string | null;
  transitions: StatusTransition[];
  /** How many `wxamplinkget` answers were read while waiting (the pre-send snapshot not included). */
  polls: number;
  lastError: LastError | null;
  /** ISO-8601 time of the next poll or retry, `null` when none is planned. */
  nextPollAt: string | null;
  /** ISO-8601 time after which the workflow stops waiting. */
  deadline: string;
  username: string | null;
  nickname: string | null;
  matching: EntryMatching;
  /** ISO-8601 time the workflow started. */
  startedAt: string;
  /** `errcode` of the definitive answer, when the outcome is a refusal. */
  errcode: number | null;
  errmsg: string | null;
}

/** Result of {@link WorkflowType.Link | linkMiniProgram}. */
export interface LinkResult {
  outcome: LinkOutcome;
  officialAccountAppId: string;
  miniProgramAppId: string;
  status: number | null;
  username: string | null;
  nickname: string | null;
  polls: number;
  transitions: StatusTransition[];
  errcode?: number;
  errmsg?: string;
  lastError?: LastError;
}

/** Query: the workflow's current state. */
export const getLinkState = defineQuery<LinkState>('getLinkState');

/** Signal: poll `wxamplinkget` at once (for example when the backend learns an admin confirmed). */
export const pollNow = defineSignal('pollNow');

/** Search attribute: the official account's appid (Keyword). */
export const WxOfficialAccountAppId = defineSearchAttributeKey('WxOfficialAccountAppId', SearchAttributeType.KEYWORD);
/** Search attribute: the mini program's appid (Keyword). */
export const WxMiniProgramAppId = defineSearchAttributeKey('WxMiniProgramAppId', SearchAttributeType.KEYWORD);
/** Search attribute: the current phase or the outcome (Keyword). */
export const WxLinkStatus = defineSearchAttributeKey('WxLinkStatus', SearchAttributeType.KEYWORD);

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
} as const;
export type WeChatFailureType = (typeof WeChatFailureType)[keyof typeof WeChatFailureType];

/** `ApplicationFailure` type of invalid workflow input (non-retryable, no API called). */
export const INVALID_INPUT_FAILURE_TYPE = 'InvalidInput';

/** The default workflow id of a link: a second start for the same pair joins the running one. */
export function linkWorkflowId(officialAccountAppId: string, miniProgramAppId: string): string {
  return `wxamp-link/${officialAccountAppId}/${miniProgramAppId}`;
}

/** The default workflow id of an unlink. */
export function unlinkWorkflowId(officialAccountAppId: string, miniProgramAppId: string): string {
  return `wxamp-unlink/${officialAccountAppId}/${miniProgramAppId}`;
}
