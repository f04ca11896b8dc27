/**
 * How long to wait: between polls while nothing changes, and before retrying a failed WeChat call.
 * The retry policy is data ({@link RETRY_POLICY}), one row per failure type. Pure functions.
 */
import { WeChatFailureType } from '../contract';

/** The intervals a workflow was started with, in milliseconds. */
export interface PollIntervals {
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}

/**
 * The wait before the next poll: back to `pollInterval` when the status just changed, otherwise
 * double the previous wait up to `maxPollInterval` (admins act within minutes or within days).
 */
export function nextPollDelay(previousDelayMs: number | null, changed: boolean, intervals: PollIntervals): number {
  if (previousDelayMs === null || changed) return intervals.pollIntervalMs;
  return Math.min(previousDelayMs * 2, intervals.maxPollIntervalMs);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** One row of the retry policy: the wait before retry `n` (1-based) after a failure of a type. */
export interface RetryRule {
  /** Multiplier of `pollInterval` for the first retry; doubled on each further one. */
  firstDelayFactor: number;
  /** The wait is never shorter than this (capped by `maxPollInterval` for the ordinary classes). */
  floorMs: number;
  /** When true the wait is not capped by `maxPollInterval` (the daily quota needs an hour). */
  ignoresMaxPollInterval: boolean;
  /** When true the wait ends at the next daily quota reset at the latest (00:00 Beijing time). */
  endsAtQuotaReset?: boolean;
}

/**
 * The retry policy, per failure type. Rate limits and token trouble wait longer than a busy
 * server, so that a worker never hammers WeChat (or burns quota) with a bad token or a full minute.
 */
export const RETRY_POLICY: Readonly<Record<string, RetryRule>> = {
  [WeChatFailureType.Transient]: { firstDelayFactor: 1, floorMs: 0, ignoresMaxPollInterval: false },
  [WeChatFailureType.RateLimited]: { firstDelayFactor: 4, floorMs: MINUTE, ignoresMaxPollInterval: false },
  [WeChatFailureType.TokenRejected]: { firstDelayFactor: 4, floorMs: MINUTE, ignoresMaxPollInterval: false },
  [WeChatFailureType.TokenUnavailable]: { firstDelayFactor: 4, floorMs: MINUTE, ignoresMaxPollInterval: false },
  // An odd answer about the whole account: slow down, and let the refusal streak decide.
  [WeChatFailureType.UnconfirmedRefusal]: { firstDelayFactor: 4, floorMs: MINUTE, ignoresMaxPollInterval: false },
  // WeChat's daily quotas reset at midnight Beijing time: waiting longer than that only loses time.
  [WeChatFailureType.QuotaExhausted]: { firstDelayFactor: 1, floorMs: HOUR, ignoresMaxPollInterval: true, endsAtQuotaReset: true },
};

/** Failure types that are not in {@link RETRY_POLICY} (e.g. an activity time-out) retry like this. */
const DEFAULT_RULE: RetryRule = { firstDelayFactor: 1, floorMs: 0, ignoresMaxPollInterval: false };

/** Beijing time (UTC+8, no daylight saving), where WeChat's daily quotas reset at midnight. */
const BEIJING_OFFSET_MS = 8 * HOUR;
const DAY = 24 * HOUR;

/** Milliseconds from `nowMs` to the next 00:00 Beijing time (a full day when it is exactly midnight). */
export function msUntilQuotaReset(nowMs: number): number {
  const beijing = nowMs + BEIJING_OFFSET_MS;
  return (Math.floor(beijing / DAY) + 1) * DAY - beijing;
}

/**
 * The wait before retry number `attempt` (1-based) of failures of `failureType` in a row, counted
 * per type ({@link countFailure}): a spent quota after a dozen network errors still waits as a
 * first quota failure. `nowMs` places the daily quota reset.
 */
export function retryDelay(failureType: string, attempt: number, intervals: PollIntervals, nowMs: number): number {
  const rule = RETRY_POLICY[failureType] ?? DEFAULT_RULE;
  const exponential = intervals.pollIntervalMs * rule.firstDelayFactor * 2 ** Math.min(30, Math.max(0, attempt - 1));
  if (rule.ignoresMaxPollInterval) {
    const wait = Math.max(exponential, rule.floorMs);
    return rule.endsAtQuotaReset ? Math.min(wait, msUntilQuotaReset(nowMs)) : wait;
  }
  // The floor yields to a short maxPollInterval so that tests (and impatient callers) can scale
  // time down; in production (maxPollInterval 5m) a rate limit waits at least a minute.
  const floor = Math.min(rule.floorMs, intervals.maxPollIntervalMs);
  return Math.min(Math.max(exponential, floor), intervals.maxPollIntervalMs);
}

/** Failures in a row, per failure type (a success clears them all). */
export type FailureCounts = Readonly<Record<string, number>>;

/** The counts after one more failure of `failureType`, and that type's count. */
export function countFailure(counts: FailureCounts | undefined, failureType: string): { counts: FailureCounts; attempt: number } {
  const attempt = (counts?.[failureType] ?? 0) + 1;
  return { counts: { ...counts, [failureType]: attempt }, attempt };
}
