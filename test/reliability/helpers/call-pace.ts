/**
 * Figures read from the simulator's call log: how fast an account was called, and the runs of
 * answers of one kind. They measure what WeChat saw, whatever the workflows believe they did.
 */
import type { CallRecord } from '../../../simulator';

const times = (calls: readonly CallRecord[]): number[] => calls.map((call) => Date.parse(call.at)).sort((a, b) => a - b);

/** The most calls that fall within any one second. */
export function maxCallsPerSecond(calls: readonly CallRecord[]): number {
  const at = times(calls);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while ((at[i] ?? 0) - (at[j] ?? 0) >= 1_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** The smallest gap between two consecutive calls, in ms; `Infinity` for fewer than two calls. */
export function minGapMs(calls: readonly CallRecord[]): number {
  const at = times(calls);
  let best = Infinity;
  for (let i = 1; i < at.length; i++) best = Math.min(best, (at[i] ?? 0) - (at[i - 1] ?? 0));
  return best;
}

/** A run of consecutive calls that `isOdd` picks out: its length and the ms from its first call to its last. */
export interface CallStreak {
  length: number;
  spanMs: number;
}

/** The runs of consecutive calls (in arrival order) that `isOdd` picks out, longest first. */
export function streaks(calls: readonly CallRecord[], isOdd: (call: CallRecord) => boolean): CallStreak[] {
  const found: CallStreak[] = [];
  let first: number | null = null;
  let last = 0;
  let length = 0;
  const close = (): void => {
    if (first !== null) found.push({ length, spanMs: last - first });
    first = null;
    length = 0;
  };
  for (const call of [...calls].sort((a, b) => a.seq - b.seq)) {
    if (!isOdd(call)) {
      close();
      continue;
    }
    const at = Date.parse(call.at);
    first ??= at;
    last = at;
    length += 1;
  }
  close();
  return found.sort((a, b) => b.length - a.length);
}
