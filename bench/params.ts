/**
 * What one bench run does: the time scale, the populations and how long each phase may take.
 * Two presets (`full`, `quick`); every figure derives from production durations divided by the
 * scale, so the printed scale line is the whole story of how time was compressed.
 */

/** Production durations the scale is applied to (the link workflow's defaults, DESIGN). */
export const PRODUCTION = {
  pollIntervalMs: 15_000,
  maxPollIntervalMs: 5 * 60_000,
  hourMs: 3_600_000,
} as const;

/** Which preset a run uses. */
export const BenchMode = { Full: 'full', Quick: 'quick' } as const;
/** One of {@link BenchMode}'s values. */
export type BenchMode = (typeof BenchMode)[keyof typeof BenchMode];

/** Naive baseline vs ours on the same population (see `compare-naive.ts`). */
export interface CompareParams {
  accounts: number;
  linksPerAccount: number;
  /** The admins start acting this long after the links were started. */
  actDelayMs: number;
  /** Each of the two admins acts within this long (uniformly) after the previous step. */
  actSpreadMs: number;
  /** Give up on a kind when its links are not all done this long after the final act. */
  settleTimeoutMs: number;
}

/**
 * Ours vs naive at the same pace, neither backing off (see `compare-naive.ts`, `equalPace`): the
 * population of {@link CompareParams}, admins acting sooner, both polling every `intervalMs`.
 */
export interface EqualPaceParams {
  intervalMs: number;
  actDelayMs: number;
  actSpreadMs: number;
}

/**
 * Temporal actions of waiting links (see `actions.ts`): accounts with one link and accounts with
 * ten, at the scaled default intervals, admins never acting, counted from their histories over a
 * window of at least `minWindowMs` (full: one watchdog period, 12 scaled `maxPollInterval`s).
 */
export interface ActionsParams {
  singleAccounts: number;
  tenAccounts: number;
  /** Let the back-off reach `maxPollInterval` before the window opens. */
  settleMs: number;
  minWindowMs: number;
}

/** Start rate of links vs a no-op workflow (see `start-rate.ts`). */
export interface StartRateParams {
  workflows: number;
  linksPerAccount: number;
  /** Starts in flight at once. */
  concurrency: number;
  timeoutMs: number;
}

/** Many waiting links on one worker process (see `scale.ts`). */
export interface ScaleParams {
  links: number;
  accounts: number;
  /**
   * Every scale link polls at this fixed interval (its `pollInterval` = `maxPollInterval`), so a
   * poll is due exactly one interval after the previous one: the steady state of the back-off.
   */
  pollIntervalMs: number;
  /** How long poll lag is observed once every link waits. */
  observeMs: number;
  /** Starts in flight at once. */
  concurrency: number;
  /** Give up waiting for every link to reach `waiting` after this long. */
  startTimeoutMs: number;
}

/** `pollNow` latency on waiting links (see `poll-now.ts`). */
export interface PollNowParams {
  samples: number;
  /** Links measured at once. */
  concurrency: number;
  /** How often `getLinkState` is queried while waiting for `polls` to grow. */
  queryEveryMs: number;
  timeoutMs: number;
}

/** Everything a bench run needs to know. */
export interface BenchParams {
  mode: BenchMode;
  /** Time runs `divisor` times faster than in production. */
  divisor: number;
  /** The links' `pollInterval` (production 15 s, scaled). */
  pollIntervalMs: number;
  /** The links' `maxPollInterval` (production 5 min, scaled). */
  maxPollIntervalMs: number;
  /** Seeds every random choice (who acts when, which links get `pollNow`). */
  seed: number;
  compare: CompareParams;
  equalPace: EqualPaceParams;
  actions: ActionsParams;
  startRate: StartRateParams;
  scale: ScaleParams;
  pollNow: PollNowParams;
}

/** The preset for `mode`, with time scaled down `divisor` times. */
export function benchParams(mode: BenchMode, divisor: number, seed: number): BenchParams {
  if (!Number.isFinite(divisor) || divisor < 1) throw new RangeError(`divisor: must be at least 1, got ${divisor}`);
  const scaled = (ms: number): number => Math.round(ms / divisor);
  const quick = mode === BenchMode.Quick;
  return {
    mode,
    divisor,
    pollIntervalMs: scaled(PRODUCTION.pollIntervalMs),
    maxPollIntervalMs: scaled(PRODUCTION.maxPollIntervalMs),
    seed,
    compare: {
      accounts: quick ? 5 : 10,
      linksPerAccount: 10,
      // Admins take an hour in the full run; the quick run cannot wait that long.
      actDelayMs: scaled(quick ? 6 * 60_000 : PRODUCTION.hourMs),
      actSpreadMs: scaled(quick ? 2 * 60_000 : 15 * 60_000),
      settleTimeoutMs: scaled(PRODUCTION.maxPollIntervalMs) * 4 + 30_000,
    },
    // Full: the scaled 5 min (15 s). Quick: 5 s, so that both kinds see enough polls in a minute.
    equalPace: quick
      ? { intervalMs: 5_000, actDelayMs: 10_000, actSpreadMs: 5_000 }
      : {
          intervalMs: scaled(PRODUCTION.maxPollIntervalMs),
          actDelayMs: 2 * scaled(PRODUCTION.maxPollIntervalMs),
          actSpreadMs: scaled(PRODUCTION.maxPollIntervalMs),
        },
    // Full: a window of one watchdog period (a scaled hour). Quick: half of one, so that the run
    // stays under 5 minutes; the links' hourly re-joins are then sampled, not all seen.
    actions: {
      singleAccounts: 10,
      tenAccounts: 3,
      settleMs: (quick ? 3 : 4) * scaled(PRODUCTION.maxPollIntervalMs),
      minWindowMs: (quick ? 6 : 12) * scaled(PRODUCTION.maxPollIntervalMs),
    },
    startRate: { workflows: quick ? 200 : 1_000, linksPerAccount: 5, concurrency: 32, timeoutMs: quick ? 90_000 : 300_000 },
    scale: {
      links: quick ? 1_000 : 10_000,
      accounts: quick ? 200 : 2_000,
      // The full run does not compress this phase's time: 2,000 accounts polled every 5 min is
      // production's load (6.7 polls a second). Scaled 1/5, the last full run's 33 polls a second
      // left the 2-core machine no CPU for the starts (5,317 of 10,000 waiting after 12.5 min).
      // The window then spans more than one interval, so that every account's poll is seen.
      pollIntervalMs: quick ? scaled(PRODUCTION.maxPollIntervalMs) : PRODUCTION.maxPollIntervalMs,
      observeMs: quick ? 30_000 : 6 * 60_000,
      concurrency: 64,
      startTimeoutMs: quick ? 150_000 : 1_800_000,
    },
    pollNow: { samples: quick ? 40 : 200, concurrency: 4, queryEveryMs: 20, timeoutMs: 30_000 },
  };
}

/** `15000` → `'15s'`, `750` → `'750ms'`, `180000` → `'3 min'`: the scale line's units. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(2))}s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(2))} min`;
  return `${Number((ms / 3_600_000).toFixed(2))} h`;
}

/** The line printed first: how production time maps to bench time. */
export function describeScale(params: BenchParams): string {
  const hour = PRODUCTION.hourMs / params.divisor;
  return (
    `time scaled 1/${params.divisor}: pollInterval 15s → ${formatDuration(params.pollIntervalMs)}, ` +
    `maxPollInterval 5m → ${formatDuration(params.maxPollIntervalMs)}, 1 h → ${formatDuration(hour)}`
  );
}
