/**
 * What a waiting link or unlink tells its account's watcher, and the names of the signals that
 * carry it. Here, not in workflow code, because a link's send activity joins the watcher too (one
 * signal-with-start beside the send, so that reaching `waiting` costs no extra workflow tasks).
 *
 * Imported by workflow code: no Node built-ins, no I/O.
 */

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

/** Input of the watcher workflow, `watchOfficialAccount`. */
export interface WatchInput {
  officialAccountAppId: string;
  /** The waiters to start with (the waiter that started the watcher). */
  waiters?: Waiter[];
}

/** The names of the signals between an account's watcher and its waiters (internal to the worker). */
export const AccountWatchSignal = {
  /** Waiter → watcher: count me in (idempotent). Carries a {@link Waiter}. */
  Join: 'wxampJoinAccountWatch',
  /** Waiter → watcher: I have ended. Carries the waiter's workflow id. */
  Leave: 'wxampLeaveAccountWatch',
  /** Waiter → watcher: poll at once. Carries the asking waiter's workflow id. */
  PollNow: 'wxampPollAccountNow',
  /** Watcher → waiter: the answer of one poll. */
  Polled: 'wxampAccountPolled',
} as const;
