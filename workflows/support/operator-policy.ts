/**
 * What the operator of a worker decides for every account, whatever a starter asks for: the
 * floor under the poll intervals and how many account-level refusals of `wxamplinkget` end the
 * waiters (common/operator-policy.ts). Here: how the workflows apply it. Pure: safe in the
 * workflow sandbox.
 */

import type { OperatorPolicy } from '../../common/operator-policy';

// The policy itself is shared with the worker and the activities, which read and hand it over.
export { DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from '../../common/operator-policy';

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
