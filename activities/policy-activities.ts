/**
 * The operator's policy, handed to the workflows. Workflow code cannot read the environment, so
 * it asks its worker once per run through a local activity (a marker in the history, no task
 * queue round trip), and what the operator set holds whatever a starter asked for. A link or
 * unlink asks in the same call that checks for a conflicting workflow: one local activity at
 * start, as before the policy existed (a second one per link slowed a burst of starts).
 */
import { DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from '../common/operator-policy';
import type { DescribeWorkflowRunInput, WorkflowRunStatus } from './workflow-activities';

/** What a link or unlink learns before its first WeChat call. */
export interface PairCallStart {
  /** Whether the conflicting workflow (the unlink of a link's pair, or the reverse) runs. */
  other: WorkflowRunStatus;
  policy: OperatorPolicy;
}

/** Builds the activities that answer the worker's operator policy. */
export function createPolicyActivities(
  describeWorkflowRun: (input: DescribeWorkflowRunInput) => Promise<WorkflowRunStatus>,
  policy: OperatorPolicy = DEFAULT_OPERATOR_POLICY,
) {
  return {
    /** The worker's {@link OperatorPolicy} (`WXAMP_MIN_POLL_INTERVAL`, `WXAMP_ACCOUNT_REFUSAL_*`): the watcher's read. */
    // eslint-disable-next-line @typescript-eslint/require-await -- activities are async by contract
    async readOperatorPolicy(): Promise<OperatorPolicy> {
      return policy;
    },

    /** A pair's first step: is the conflicting workflow running, and what does the operator allow. */
    async beginPairCall(input: DescribeWorkflowRunInput): Promise<PairCallStart> {
      return { other: await describeWorkflowRun(input), policy };
    },
  };
}
