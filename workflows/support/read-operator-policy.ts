/**
 * Asking the worker for the operator's policy, once per run, as a local activity: one marker in
 * the history and no task-queue round trip. Runs recorded before the policy existed replay
 * without the call and keep their starter's intervals.
 */
import { patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { failIfOtherRuns, failIfRunning } from '../pair/conflicting-workflow';
import type { OperatorPolicy } from './operator-policy';
import { type CAMPAIGN_WEBHOOK_PATCH, PAIR_OPERATOR_POLICY_PATCH, WATCH_OPERATOR_POLICY_PATCH } from '../patches';

const { readOperatorPolicy, beginPairCall } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

// The ids live in patches.ts; re-exported so that older imports keep compiling.
export { PAIR_OPERATOR_POLICY_PATCH, WATCH_OPERATOR_POLICY_PATCH };

/** The worker's policy, or `null` when replaying a history recorded before `patchId`. */
export async function operatorPolicyOrNull(
  patchId: typeof PAIR_OPERATOR_POLICY_PATCH | typeof WATCH_OPERATOR_POLICY_PATCH | typeof CAMPAIGN_WEBHOOK_PATCH,
): Promise<OperatorPolicy | null> {
  return patched(patchId) ? await readOperatorPolicy() : null;
}

/**
 * A link's or unlink's first step: fails it when `otherWorkflowId` (the same pair's unlink, or
 * link) runs, and returns the operator's policy — one local activity. Histories recorded before
 * {@link PAIR_OPERATOR_POLICY_PATCH} replay the check alone and get `null`.
 */
export async function checkPairAndReadPolicy(otherWorkflowId: string, what: string): Promise<OperatorPolicy | null> {
  if (!patched(PAIR_OPERATOR_POLICY_PATCH)) {
    await failIfRunning(otherWorkflowId, what);
    return null;
  }
  const { other, policy } = await beginPairCall({ workflowId: otherWorkflowId });
  failIfOtherRuns(other, otherWorkflowId, what);
  return policy;
}
