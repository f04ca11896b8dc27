/** Activities that ask Temporal itself about other workflows (no WeChat call). */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';

/** Input of `describeWorkflowRun`. */
export interface DescribeWorkflowRunInput {
  workflowId: string;
}

/** Whether the latest run of a workflow id is running. */
export interface WorkflowRunStatus {
  running: boolean;
  runId: string | null;
}

/** Builds the activities that read Temporal through the worker's own client. */
export function createWorkflowActivities() {
  return {
    /** Whether the latest run of `workflowId` is running (used to keep link and unlink apart). */
    async describeWorkflowRun(input: DescribeWorkflowRunInput): Promise<WorkflowRunStatus> {
      try {
        const description = await Context.current().client.workflow.getHandle(input.workflowId).describe();
        return { running: description.status.name === 'RUNNING', runId: description.runId };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { running: false, runId: null };
        throw error;
      }
    },
  };
}
