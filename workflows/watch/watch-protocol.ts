/**
 * The signals between an account's watcher and the links and unlinks waiting on it. Internal:
 * only these workflows send them, and a link's send activity its first join (callers use
 * `pollNow` and `getLinkState` on the link itself). Their names live in common/account-watch.ts.
 */
import { defineSignal } from '@temporalio/workflow';
import type { FailureInfo } from '../support/activity-failures';
import type { SnapshotItem } from '../contract';
import { AccountWatchSignal, type EntryClaim, type Waiter } from '../../common/account-watch';

export type { EntryClaim, Waiter, WatchInput } from '../../common/account-watch';

/** Another waiter's claim, as an answer carries it. */
export interface RivalClaim extends EntryClaim {
  workflowId: string;
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

/**
 * A waiter's watchdog period, in its `maxPollInterval`s (an hour at the default 5 minutes): this
 * often a waiter joins its watcher again, whether or not answers came. Each tick costs a timer, a
 * signal and an answer per waiting link, so it is kept rare: thousands of links must not re-join
 * every few minutes. The watcher counts on it to find waiters that are gone (watch/silent-waiters.ts).
 */
export const WATCHDOG_INTERVALS = 12;

/** Waiter → watcher: count me in (sent again by every new run of the waiter; idempotent). */
export const joinAccountWatch = defineSignal<[Waiter]>(AccountWatchSignal.Join);

/** Waiter → watcher: I have ended; stop answering me. */
export const leaveAccountWatch = defineSignal<[string]>(AccountWatchSignal.Leave);

/** Waiter → watcher: poll the account at once (a `pollNow` sent to the waiter). */
export const pollAccountNow = defineSignal<[string]>(AccountWatchSignal.PollNow);

/**
 * Watcher → waiter: the answer of one poll. Sent when the account's entries changed (and with the
 * poll after, which confirms a change), after a failure and the recovery from one, to a waiter
 * that just joined, to one that asked (`pollNow`), and to one the watcher has not heard from for
 * 1.5 watchdog periods (to find out whether it is still there) — not while nothing changes.
 */
export const accountPolled = defineSignal<[AccountAnswer]>(AccountWatchSignal.Polled);
