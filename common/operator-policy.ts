/**
 * What the operator of a worker decides for every account, whatever a starter asks for: the
 * floor under the poll intervals (`WXAMP_MIN_POLL_INTERVAL`) and how many account-level refusals
 * of `wxamplinkget`, over how long, end the waiters (`WXAMP_ACCOUNT_REFUSAL_ANSWERS`,
 * `WXAMP_ACCOUNT_REFUSAL_SPAN`). The worker reads it, its `readOperatorPolicy` local activity
 * hands it to the workflows, which apply it (workflows/operator-policy.ts). Pure: safe in the
 * workflow sandbox.
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
