/** Order statistics for the bench's latency figures. Pure. */

/**
 * The `p`-th percentile (0–100) of `values`, nearest-rank: the smallest value that at least
 * `p` % of the values do not exceed. Nearest-rank rather than interpolation, so that a reported
 * p99 is a latency that really happened. `NaN` for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile: p must be from 0 to 100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The usual trio of a latency distribution, rounded to whole milliseconds. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** p50, p99, max and count of `values` (each `NaN` when there are none). */
export function spread(values: readonly number[]): Spread {
  const round = (n: number): number => (Number.isFinite(n) ? Math.round(n) : Number.NaN);
  return {
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    // reduce, not Math.max(...values): a spread of 100,000+ arguments overflows the stack.
    max: round(values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY)),
    count: values.length,
  };
}
