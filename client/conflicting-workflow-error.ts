/** The error the client library raises instead of starting a link and an unlink of one pair at once. */

/** A link (or unlink) of the same pair is running; the other would undo it. Nothing was started. */
export class ConflictingWorkflowError extends Error {
  /** The running workflow's id. */
  readonly workflowId: string;
  constructor(workflowId: string, what: string) {
    super(`${what} of this pair is running (${workflowId}): wait for it to end or cancel it, then start again`);
    this.name = 'ConflictingWorkflowError';
    this.workflowId = workflowId;
  }
}
