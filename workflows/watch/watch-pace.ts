/**
 * When an account's watcher polls: the most demanding waiter sets the pace, polls back off while
 * the account's entries do not change, and a new waiter (a fresh invitation) brings the next poll
 * forward. Pure: the watcher workflow feeds it times and answers.
 */
import type { Waiter } from './watch-protocol';
import { countFailure, nextPollDelay, retryDelay, type FailureCounts, type PollIntervals } from '../support/backoff';
import type { SnapshotItem } from '../contract';
import { clampToFloor, type OperatorPolicy } from '../support/operator-policy';

/** The schedule's state, carried across continue-as-new. */
export interface ScheduleState {
  delayMs: number | null;
  nextPollAtMs: number | null;
  /** The entries of the last answer, as {@link entriesKey} writes them. */
  lastEntriesKey: string | null;
  consecutiveFailures: number;
  /** Failures in a row per type (absent in states carried from older runs). */
  failuresByType?: FailureCounts;
}

/** A fresh schedule: nothing polled, nothing planned. */
export function emptySchedule(): ScheduleState {
  return { delayMs: null, nextPollAtMs: null, lastEntriesKey: null, consecutiveFailures: 0, failuresByType: {} };
}

/**
 * The intervals of the most demanding waiters (the smallest of each), never below the operator's
 * floor (`policy` null: a run from before the floor existed), or null with no waiter.
 */
export function accountIntervals(waiters: Iterable<Waiter>, policy: OperatorPolicy | null = null): PollIntervals | null {
  const all = [...waiters];
  if (all.length === 0) return null;
  const demanded = {
    pollIntervalMs: Math.min(...all.map((waiter) => waiter.pollIntervalMs)),
    maxPollIntervalMs: Math.min(...all.map((waiter) => waiter.maxPollIntervalMs)),
  };
  const { pollIntervalMs, maxPollIntervalMs } = clampToFloor(demanded, policy);
  return { pollIntervalMs, maxPollIntervalMs };
}

/** The entries, in an order-free form: a changed key means an entry appeared, went or moved. */
export function entriesKey(items: readonly SnapshotItem[]): string {
  return items
    .map((item) => `${item.appid ?? ''}|${item.username}|${item.status}`)
    .sort()
    .join(',');
}

/**
 * A waiter joined at `nowMs`: it has just sent its request, so the admins may act soon. The next
 * poll comes no later than one of its `pollInterval`s, and the back-off starts over.
 */
export function afterJoin(schedule: ScheduleState, waiter: Waiter, nowMs: number, policy: OperatorPolicy | null = null): ScheduleState {
  const dueAtMs = nowMs + clampToFloor(waiter, policy).pollIntervalMs;
  return {
    ...schedule,
    delayMs: null,
    nextPollAtMs: schedule.nextPollAtMs === null ? dueAtMs : Math.min(schedule.nextPollAtMs, dueAtMs),
  };
}

/** After an answer: back to `pollInterval` when the entries changed, else double up to the maximum. */
export function afterAnswer(schedule: ScheduleState, items: readonly SnapshotItem[], intervals: PollIntervals, nowMs: number): ScheduleState {
  const key = entriesKey(items);
  const changed = schedule.lastEntriesKey !== null && key !== schedule.lastEntriesKey;
  const delayMs = nextPollDelay(schedule.delayMs, changed, intervals);
  return { delayMs, nextPollAtMs: nowMs + delayMs, lastEntriesKey: key, consecutiveFailures: 0, failuresByType: {} };
}

/**
 * After a failed poll: the retry policy's wait for the failure type. One schedule per account, so
 * a rate limit (45011) or a spent quota (45009) slows every link of the account, not one.
 */
export function afterFailure(schedule: ScheduleState, failureType: string, intervals: PollIntervals, nowMs: number): ScheduleState {
  const counted = countFailure(schedule.failuresByType, failureType);
  return {
    ...schedule,
    consecutiveFailures: schedule.consecutiveFailures + 1,
    failuresByType: counted.counts,
    nextPollAtMs: nowMs + retryDelay(failureType, counted.attempt, intervals, nowMs),
  };
}
