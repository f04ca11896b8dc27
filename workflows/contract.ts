/**
 * The public contract of wxamp-link, in one place: task queue, workflow types, inputs, results,
 * outcomes, queries, signals, search attributes and failure types. Both the workflows and the
 * client library import it, so a name changes here or nowhere. See `shared/DESIGN.md`.
 *
 * This module must stay importable from the workflow sandbox: no Node built-ins, no I/O.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LinkedMiniProgram } from '../common/wechat-answers';

// Shared with the activities and the worker, which must not import workflow code: defined in
// common/, part of the contract all the same.
export { DEFAULT_TASK_QUEUE } from '../common/task-queue';
export {
  LinkOutcome,
  LinkPhase,
  linkWorkflowId,
  unlinkWorkflowId,
  watchWorkflowId,
  webhookDeliveryWorkflowId,
  WorkflowType,
  WxLinkStatus,
  WxMiniProgramAppId,
  WxOfficialAccountAppId,
} from '../common/workflow-names';
import type { LinkOutcome, LinkPhase } from '../common/workflow-names';
export { statusMeaning, WeChatFailureType, WxOpenStatus, type LinkedMiniProgram, type SnapshotItem } from '../common/wechat-answers';
export { WebhookEventType, WebhookHeader, type WebhookEvent, type WebhookTransition } from '../common/webhook-event';

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
  /**
   * The `linkCampaign` workflow id to tell when this link ends (and when WeChat answers its send
   * with 45011 or 45009). Set by campaigns; an addition to DESIGN.
   */
  campaignId?: string;
  /** See {@link WebhookOptions}. */
  notifyUrl?: string;
  /** See {@link WebhookOptions}. */
  notifyTransitions?: boolean;
}

/** Outcome notifications a caller asks for (an addition to DESIGN; docs/webhooks.md). */
export interface WebhookOptions {
  /**
   * Also post this workflow's events here (http or https, no user-info), signed like every event;
   * the worker's `WXAMP_WEBHOOK_ALLOWED_HOSTS` may restrict the host. Needs `WXAMP_WEBHOOK_SECRET`
   * on the worker. The operator's `WXAMP_WEBHOOK_URL`, if set, gets them whatever this says.
   */
  notifyUrl?: string;
  /** Post every status change (`pair.status_changed`), not only the outcome. @default false */
  notifyTransitions?: boolean;
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

/**
 * The poll intervals that apply to a link or unlink (an addition to DESIGN): the starter's, raised
 * to the operator's floor (`WXAMP_MIN_POLL_INTERVAL`) where they were below it.
 */
export interface EffectivePolling {
  /** The first wait between polls that applies, in milliseconds. */
  pollIntervalMs: number;
  /** The longest wait between polls that applies, in milliseconds. */
  maxPollIntervalMs: number;
  /** The operator's floor, in milliseconds. */
  minPollIntervalMs: number;
  /** True when the starter's `pollInterval` or `maxPollInterval` was below the floor and was raised. */
  clamped: boolean;
}

/** What {@link getLinkState} answers at any time. */
export interface LinkState {
  /** Which workflow this is. */
  workflow: 'link' | 'unlink';
  officialAccountAppId: string;
  miniProgramAppId: string;
  phase: LinkPhase;
  /** Last status seen for our entry, or `null` before it was seen. */
  status: number | null;
  statusMeaning: string | null;
  outcome: string | null;
  transitions: StatusTransition[];
  /**
   * How many `wxamplinkget` answers this workflow read while waiting (the pre-send snapshot and
   * the checks of a lost send not included): exact at any time. The account's watcher may have
   * polled more often; its count is in `accountWatch`.
   */
  polls: number;
  lastError: LastError | null;
  /**
   * ISO-8601 time of this workflow's next poll or retry; `null` when none is planned, and while
   * the account's watcher polls for it (its next poll is in the watcher's state, see `accountWatch`):
   * the workflow is not woken at every poll, so any time it gave would go stale.
   */
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
  /**
   * The account watcher that polls for this workflow (an addition to DESIGN): its workflow id,
   * whose query `getAccountWatchState` shows its live poll count and next poll, and its poll count
   * when this workflow last read an answer (`lastAnswerAt`). `null` before the first answer, or
   * for runs that poll on their own.
   */
  accountWatch?: { workflowId: string; polls: number; lastAnswerAt?: string } | null;
  /**
   * The intervals that apply, after the operator's floor (an addition to DESIGN); `null` for runs
   * started before the floor existed, which poll at their starter's intervals.
   */
  effectivePolling?: EffectivePolling | null;
}

/** What a link or unlink workflow returns; `O` is its outcome type. */
export interface PairResult<O extends string> {
  outcome: O;
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

/** Result of {@link WorkflowType.Link | linkMiniProgram}. */
export type LinkResult = PairResult<LinkOutcome>;

/** How an unlink workflow ended. See {@link UnlinkResult}. */
export const UnlinkOutcome = {
  /** The entry is gone from `wxamplinkget` after `wxampunlink` (the account admin confirmed). */
  Unlinked: 'unlinked',
  /** The mini program was not linked (no entry, or one that never reached status 1): nothing sent. */
  NotLinked: 'not_linked',
  /** A definitive errcode (89011, 89012, 89013, …); `errcode` and `errmsg` are in the result. */
  Refused: 'refused',
  /** `timeout` passed while still waiting. */
  TimedOut: 'timed_out',
} as const;
export type UnlinkOutcome = (typeof UnlinkOutcome)[keyof typeof UnlinkOutcome];

/** Input of {@link WorkflowType.Unlink | unlinkMiniProgram}. */
export interface UnlinkInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
  /** Needed when `wxamplinkget` answers carry no `appid`. */
  miniProgramUsername?: string;
  /** @default '15s' */
  pollInterval?: Duration;
  /** @default '5m' */
  maxPollInterval?: Duration;
  /** @default '7d' */
  timeout?: Duration;
  /** See {@link LinkInput.maxHistoryEvents}. @default 4000 */
  maxHistoryEvents?: number;
  /** See {@link WebhookOptions}. */
  notifyUrl?: string;
  /** See {@link WebhookOptions}. */
  notifyTransitions?: boolean;
}

/** Result of {@link WorkflowType.Unlink | unlinkMiniProgram}. */
export type UnlinkResult = PairResult<UnlinkOutcome>;

/** Input of {@link WorkflowType.List | listLinkedMiniPrograms}. */
export interface ListInput {
  officialAccountAppId: string;
  /** Give up retrying WeChat after this long (an addition to DESIGN). @default '5m' */
  timeout?: Duration;
}

/** Result of {@link WorkflowType.List | listLinkedMiniPrograms}. */
export interface ListResult {
  officialAccountAppId: string;
  items: LinkedMiniProgram[];
}

/**
 * How callers start {@link WorkflowType.Link | linkMiniProgram}: one input, one result (the state
 * it carries across continue-as-new is a second argument of its own, never a caller's). The client
 * types its handles with these signatures, so it needs this contract and no workflow code;
 * workflows/index.ts checks that each workflow fits its signature.
 */
export type LinkMiniProgramWorkflow = (input: LinkInput) => Promise<LinkResult>;
/** How callers start {@link WorkflowType.Unlink | unlinkMiniProgram} (see {@link LinkMiniProgramWorkflow}). */
export type UnlinkMiniProgramWorkflow = (input: UnlinkInput) => Promise<UnlinkResult>;
/** How callers start {@link WorkflowType.List | listLinkedMiniPrograms}. */
export type ListLinkedMiniProgramsWorkflow = (input: ListInput) => Promise<ListResult>;

/** Query: the workflow's current state. */
export const getLinkState = defineQuery<LinkState>('getLinkState');

/** Signal: poll `wxamplinkget` at once (for example when the backend learns an admin confirmed). */
export const pollNow = defineSignal('pollNow');

/** `ApplicationFailure` type of invalid workflow input (non-retryable, no API called). */
export const INVALID_INPUT_FAILURE_TYPE = 'InvalidInput';

/**
 * `ApplicationFailure` type of a link started while an unlink of the same pair runs, or the
 * reverse (non-retryable, no WeChat API called): the two would undo each other.
 */
export const CONFLICTING_WORKFLOW_FAILURE_TYPE = 'ConflictingWorkflow';

/**
 * `ApplicationFailure` type of an unlink whose entry cannot be identified: the answers carry no
 * `appid` and no `miniProgramUsername` was given (non-retryable; it never guesses).
 */
export const USERNAME_REQUIRED_FAILURE_TYPE = 'MiniProgramUsernameRequired';

/** What an account's watcher shows (query {@link getAccountWatchState}). */
export interface AccountWatchState {
  officialAccountAppId: string;
  /** Workflow ids of the links and unlinks waiting on this account. */
  waiters: string[];
  /** `wxamplinkget` answers read by this watcher (all its runs). */
  polls: number;
  lastPollAt: string | null;
  nextPollAt: string | null;
  /** The current wait between polls (backs off while nothing changes), in milliseconds. */
  delayMs: number | null;
  lastError: LastError | null;
  /** How late the recent scheduled polls started (workflow time), in milliseconds, oldest first. */
  pollLagsMs: number[];
}

/** Query: an account watcher's state (an addition to DESIGN). */
export const getAccountWatchState = defineQuery<AccountWatchState>('getAccountWatchState');
