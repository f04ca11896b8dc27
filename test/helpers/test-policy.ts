/**
 * The operator policy of test workers: time in tests is scaled down (polls every 100 ms), so the
 * floor under poll intervals and the span of account-level refusals are scaled down with it.
 * Tests of the policy itself start workers with their own.
 */
import type { OperatorPolicy } from '../../workflows/support/operator-policy';

/** In-process test workers (see link-harness). */
export const TEST_POLICY: OperatorPolicy = { minPollIntervalMs: 50, accountRefusal: { answers: 3, spanMs: 1_000 } };

/** The same, as the environment of a worker process. */
export const TEST_POLICY_ENV: Readonly<Record<string, string>> = {
  WXAMP_MIN_POLL_INTERVAL: `${TEST_POLICY.minPollIntervalMs}ms`,
  WXAMP_ACCOUNT_REFUSAL_ANSWERS: String(TEST_POLICY.accountRefusal.answers),
  WXAMP_ACCOUNT_REFUSAL_SPAN: `${TEST_POLICY.accountRefusal.spanMs}ms`,
};
