/**
 * When an odd refusal of `wxamplinkget` becomes a verdict. That call is about the whole account,
 * so one undocumented errcode or HTTP 4xx must not end every link waiting on it: such answers
 * count in a streak, and only a streak of the operator's length over the operator's span (3 over
 * 10 minutes by default) ends the waiters `refused`. A good answer breaks the streak; other
 * failures (network, busy) neither count nor break it. Pure.
 */
import type { OperatorPolicy } from '../support/operator-policy';

/** Unconfirmed refusals in a row. */
export interface RefusalStreak {
  count: number;
  firstAtMs: number;
  lastAtMs: number;
}

/** The streak after one more unconfirmed refusal at `atMs`. */
export function extendStreak(streak: RefusalStreak | null | undefined, atMs: number): RefusalStreak {
  if (!streak) return { count: 1, firstAtMs: atMs, lastAtMs: atMs };
  return { count: streak.count + 1, firstAtMs: streak.firstAtMs, lastAtMs: atMs };
}

/** True when the streak is long enough, in answers and in time, to be WeChat's verdict. */
export function streakSettles(streak: RefusalStreak, rule: OperatorPolicy['accountRefusal']): boolean {
  return streak.count >= rule.answers && streak.lastAtMs - streak.firstAtMs >= rule.spanMs;
}

/** Why the waiters go on after an unconfirmed refusal (for `lastError` and the Web UI). */
export function streakNote(streak: RefusalStreak, rule: OperatorPolicy['accountRefusal']): string {
  return `account-level refusal ${streak.count} in a row over ${Math.round((streak.lastAtMs - streak.firstAtMs) / 1000)} s: the waiters end refused after ${rule.answers} in a row over ${Math.round(rule.spanMs / 1000)} s`;
}
