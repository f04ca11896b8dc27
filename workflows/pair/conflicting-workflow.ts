/**
 * A link and an unlink of the same pair must not run at once. Each workflow checks, before it
 * calls WeChat, that the other is not running, and fails with `ConflictingWorkflow` if it is.
 * (The client library checks too, so that its callers get the error before anything starts.)
 */
import { ApplicationFailure, patched, proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { CONFLICTING_WORKFLOW_FAILURE_TYPE } from '../contract';
import { LOCAL_CONFLICT_CHECK_PATCH } from '../patches';

const CHECK_RETRY: RetryPolicy = { initialInterval: '1s', maximumInterval: '30s' };
const { describeWorkflowRun } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: CHECK_RETRY });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: CHECK_RETRY });

// The id lives in patches.ts; re-exported so that older imports keep compiling.
export { LOCAL_CONFLICT_CHECK_PATCH };

/** Fails the workflow (non-retryable) when the workflow `workflowId` is running. */
export async function failIfRunning(workflowId: string, what: string): Promise<void> {
  const other = patched(LOCAL_CONFLICT_CHECK_PATCH) ? await local.describeWorkflowRun({ workflowId }) : await describeWorkflowRun({ workflowId });
  failIfOtherRuns(other, workflowId, what);
}

/** Fails the workflow (non-retryable) when `other`, the run of `workflowId`, is running. */
export function failIfOtherRuns(other: { running: boolean; runId: string | null }, workflowId: string, what: string): void {
  if (other.running) {
    throw ApplicationFailure.create({
      type: CONFLICTING_WORKFLOW_FAILURE_TYPE,
      message: `${what} of this pair is running (${workflowId}, run ${other.runId ?? '?'}): wait for it to end or cancel it, then start again`,
      nonRetryable: true,
      details: [{ workflowId, runId: other.runId }],
    });
  }
}
