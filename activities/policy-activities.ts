/**
 * The operator's policy, handed to the workflows. Workflow code cannot read the environment, so
 * it asks its worker once per run through this local activity (a marker in the history, no task
 * queue round trip), and what the operator set holds whatever a starter asked for.
 */
import { DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from '../workflows/operator-policy';

/** Builds the activity that answers the worker's operator policy. */
export function createPolicyActivities(policy: OperatorPolicy = DEFAULT_OPERATOR_POLICY) {
  return {
    /** The worker's {@link OperatorPolicy} (`WXAMP_MIN_POLL_INTERVAL`, `WXAMP_ACCOUNT_REFUSAL_*`). */
    // eslint-disable-next-line @typescript-eslint/require-await -- activities are async by contract
    async readOperatorPolicy(): Promise<OperatorPolicy> {
      return policy;
    },
  };
}
