/**
 * Joining an account's watcher from an activity: one signal-with-start through the worker's own
 * Temporal client, which signals the running watcher or starts one. A link's send activity does it
 * as soon as WeChat has the invitation, so that the link reaches `waiting` without a workflow task
 * for a signal (that fails when no watcher runs) and another for starting the watcher as a child.
 */
import { Context } from '@temporalio/activity';
import { AccountWatchSignal, type Waiter, type WatchInput } from '../common/account-watch';
import { watchWorkflowId, WorkflowType } from '../common/workflow-names';

/**
 * Joins `waiter` to the watcher of `officialAccountAppId`, on this activity's task queue. True
 * when done; false (logged) when Temporal did not take it: the caller's invitation is out all the
 * same, so this must never fail the activity — the workflow joins by itself at its first wait.
 */
export async function joinOrStartWatcher(officialAccountAppId: string, waiter: Waiter): Promise<boolean> {
  const context = Context.current();
  const input: WatchInput = { officialAccountAppId };
  try {
    await context.client.workflow.signalWithStart(WorkflowType.Watch, {
      workflowId: watchWorkflowId(officialAccountAppId),
      taskQueue: context.info.taskQueue,
      args: [input],
      signal: AccountWatchSignal.Join,
      signalArgs: [waiter],
    });
    return true;
  } catch (error) {
    context.log.warn('could not join the account watcher from the send; the link joins at its first wait', {
      officialAccountAppId,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}
