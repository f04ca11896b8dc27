/**
 * A campaign's pace: how many links it starts per minute, lowered after WeChat's rate limit
 * (45011) or spent daily quota (45009) and doubled back step by step. Pure: times are passed in.
 */
import type { CampaignPace } from './campaign-contract';
import { iso } from '../support/workflow-clock';

/** The pace's state, carried across continue-as-new. */
export interface PaceState {
  maxInFlight: number;
  startsPerMinute: number;
  current: number;
  slowedBy: string | null;
  slowedUntilMs: number | null;
  /** When the last slowdown was applied: hints arriving together count once. */
  lastHintMs: number | null;
  /** No start before this time (the spacing of the last batch). */
  nextStartAtMs: number;
}

/** Hints closer together than this count as one slowdown (many links meet the same limit at once). */
const HINT_COALESCE_MS = 10_000;
/** How long one batch of starts may spread over: the latency of `pause` and of a slowdown. */
export const BATCH_WINDOW_MS = 5_000;

/** A fresh pace. */
export function newPace(maxInFlight: number, startsPerMinute: number, nowMs: number): PaceState {
  return { maxInFlight, startsPerMinute, current: startsPerMinute, slowedBy: null, slowedUntilMs: null, lastHintMs: null, nextStartAtMs: nowMs };
}

/** Milliseconds between two starts at the rate in force. */
export function spacingMs(pace: PaceState): number {
  return Math.ceil(60_000 / pace.current);
}

/** How many links to start in the next batch, given the free slots and the pairs waiting. */
export function batchSize(pace: PaceState, freeSlots: number, pending: number): number {
  const byRate = Math.max(1, Math.floor(BATCH_WINDOW_MS / spacingMs(pace)));
  return Math.max(0, Math.min(freeSlots, pending, byRate));
}

/** Records a batch of `count` starts that began at `nowMs`. */
export function noteBatch(pace: PaceState, count: number, nowMs: number): void {
  pace.nextStartAtMs = nowMs + count * spacingMs(pace);
}

/** Lowers the rate after a 45011 (halved) or 45009 (a tenth, for 12 recoveries). */
export function slowDown(pace: PaceState, errcode: 45011 | 45009, recoveryMs: number, nowMs: number): void {
  if (pace.lastHintMs !== null && nowMs - pace.lastHintMs < HINT_COALESCE_MS && pace.slowedBy === String(errcode)) return;
  pace.lastHintMs = nowMs;
  if (errcode === 45009) {
    pace.current = Math.max(1, Math.min(pace.current, Math.floor(pace.startsPerMinute / 10)));
    pace.slowedUntilMs = nowMs + 12 * recoveryMs;
  } else {
    pace.current = Math.max(1, Math.floor(pace.current / 2));
    pace.slowedUntilMs = Math.max(pace.slowedUntilMs ?? 0, nowMs + recoveryMs);
  }
  pace.slowedBy = String(errcode);
  // The slower spacing applies from now, not after the batch planned at the old rate.
  pace.nextStartAtMs = Math.max(pace.nextStartAtMs, nowMs + spacingMs(pace));
}

/** Doubles the rate back once a slowdown's time is over; true when something changed. */
export function recover(pace: PaceState, recoveryMs: number, nowMs: number): boolean {
  if (pace.slowedUntilMs === null || nowMs < pace.slowedUntilMs) return false;
  pace.current = Math.min(pace.startsPerMinute, pace.current * 2);
  if (pace.current >= pace.startsPerMinute) {
    pace.slowedBy = null;
    pace.slowedUntilMs = null;
  } else {
    pace.slowedUntilMs = nowMs + recoveryMs;
  }
  return true;
}

/** The ETA of the last start, or `null` when nothing is pending or the campaign is paused. */
export function etaMs(pace: PaceState, pending: number, nowMs: number): number | null {
  if (pending === 0) return null;
  return Math.max(nowMs, pace.nextStartAtMs) + pending * spacingMs(pace);
}

/** The pace as the query shows it. */
export function paceView(pace: PaceState): CampaignPace {
  return {
    maxInFlight: pace.maxInFlight,
    startsPerMinute: pace.startsPerMinute,
    currentStartsPerMinute: pace.current,
    slowedBy: pace.slowedBy === null ? null : `${pace.slowedBy} (${pace.slowedBy === '45009' ? 'daily quota used up' : 'rate limit'})`,
    slowedUntil: pace.slowedUntilMs === null ? null : iso(pace.slowedUntilMs),
  };
}
