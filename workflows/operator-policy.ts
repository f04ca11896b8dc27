/**
 * What the operator of a worker decides for every account, whatever a starter asks for: the
 * floor under the poll intervals (`WXAMP_MIN_POLL_INTERVAL`) and how many account-level refusals
 * of `wxamplinkget`, over how long, end the waiters (`WXAMP_ACCOUNT_REFUSAL_ANSWERS`,
 * `WXAMP_ACCOUNT_REFUSAL_SPAN`). The worker's `operatorPolicy` local activity hands it to the
 * workflows. Pure: safe in the workflow sandbox.
 */

/** The operator's limits, as the workflows read them. */
export interface OperatorPolicy {
  /** No account is polled more often than this, whatever `pollInterval` a starter gave. @default 5000 */
  minPollIntervalMs: number;
  /** Account-level refusals of `wxamplinkget` (see `WeChatFailureType.UnconfirmedRefusal`) that end the waiters. */
  accountRefusal: {
    /** At least this many such answers in a row. @default 3 */
    answers: number;
    /** Spanning at least this long, first to last. @default 600000 (10 minutes) */
    spanMs: number;
  };
}

/** The defaults (what DESIGN and docs/configuration.md state). */
export const DEFAULT_OPERATOR_POLICY: OperatorPolicy = {
  minPollIntervalMs: 5_000,
  accountRefusal: { answers: 3, spanMs: 10 * 60_000 },
};

/** A pair of poll intervals, in milliseconds (what a starter asked for, or what applies). */
export interface PollIntervalPair {
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}

/**
 * The intervals that apply under the operator's floor: neither interval below it. `null` policy
 * (a run from before the policy existed) leaves the starter's intervals as they were.
 */
export function clampToFloor(requested: PollIntervalPair, policy: OperatorPolicy | null): PollIntervalPair & { clamped: boolean } {
  const floorMs = policy?.minPollIntervalMs ?? 0;
  const pollIntervalMs = Math.max(requested.pollIntervalMs, floorMs);
  const maxPollIntervalMs = Math.max(requested.maxPollIntervalMs, pollIntervalMs);
  return { pollIntervalMs, maxPollIntervalMs, clamped: pollIntervalMs !== requested.pollIntervalMs || maxPollIntervalMs !== requested.maxPollIntervalMs };
}
