/**
 * The signals between an account's watcher and the links and unlinks waiting on it. Internal:
 * only these workflows send them (callers use `pollNow` and `getLinkState` on the link itself).
 */
import { defineSignal } from '@temporalio/workflow';
import type { FailureInfo } from '../support/activity-failures';
import type { SnapshotItem } from '../contract';

/** A workflow waiting on an account, as it registers with the account's watcher. */
export interface Waiter {
  /** The waiting workflow's id; answers go to whichever run of it is current. */
  workflowId: string;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** The waiter's own history budget: the watcher hands over no later than the smallest. */
  maxHistoryEvents: number;
  /**
   * Which entry the waiter could take in answers without `appid` (older WeChat): its entry's
   * username once known, else the usernames listed before its invitation (it matches what is new
   * since). Absent for waiters from before claims existed.
   */
  claim?: EntryClaim;
}

/** What a waiter could match in an answer without `appid`. */
export interface EntryClaim {
  username: string | null;
  baseline: string[] | null;
}

/** Another waiter's claim, as an answer carries it. */
export interface RivalClaim extends EntryClaim {
  workflowId: string;
}

/** Input of the watcher workflow, `watchOfficialAccount`. */
export interface WatchInput {
  officialAccountAppId: string;
  /** The waiters to start with (the waiter that started the watcher). */
  waiters?: Waiter[];
}

/** What the watcher hands each waiter after a poll. */
export type AccountAnswer =
  /**
   * `wxamplinkget` answered: every entry of the account. `accountPolls` is the watcher's poll
   * count so far, so that a waiter counts the polls it was not sent (nothing had changed).
   */
  | {
      kind: 'items';
      items: SnapshotItem[];
      nextPollAtMs: number;
      accountPolls: number;
      /**
       * Every waiter's claim, when some item has no `appid`: a waiter never takes by elimination an
       * entry that another waiting link could claim. Absent when every item carries its appid.
       */
      claims?: RivalClaim[];
    }
  /** The poll failed and will be retried at `nextPollAtMs`. */
  | { kind: 'failed'; failure: FailureInfo; consecutiveFailures: number; nextPollAtMs: number }
  /** WeChat refused `wxamplinkget` definitively: every waiter ends `refused`. */
  | { kind: 'refused'; failure: FailureInfo };

/** Waiter → watcher: count me in (sent again by every new run of the waiter; idempotent). */
export const joinAccountWatch = defineSignal<[Waiter]>('wxampJoinAccountWatch');

/** Waiter → watcher: I have ended; stop answering me. */
export const leaveAccountWatch = defineSignal<[string]>('wxampLeaveAccountWatch');

/** Waiter → watcher: poll the account at once (a `pollNow` sent to the waiter). */
export const pollAccountNow = defineSignal<[string]>('wxampPollAccountNow');

/**
 * Watcher → waiter: the answer of one poll. Sent when the account's entries changed (and with the
 * poll after, which confirms a change), after a failure and the recovery from one, to a waiter
 * that just joined, and to one that asked (`pollNow`) — not while nothing changes.
 */
export const accountPolled = defineSignal<[AccountAnswer]>('wxampAccountPolled');
