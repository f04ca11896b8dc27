/**
 * A waiting link is woken by its account's watcher only when something changed, so it leaves
 * `nextPollAt` null and names the watcher in `accountWatch`. This convenience folds the watcher's
 * live poll count and next poll into the link's state; the link's own `polls` (the answers it
 * read) is exact and kept as it is.
 */
import type { Client } from '@temporalio/client';
import { getAccountWatchState, LinkPhase, watchWorkflowId, type LinkState } from '../workflows/contract';

/** `state` with the account watcher's live poll count and next poll, when a watcher serves it. */
export async function withWatcherView(client: Client, state: LinkState): Promise<LinkState> {
  const seen = state.accountWatch;
  // Runs that poll on their own know their next poll; so does a workflow that is not waiting.
  if (state.phase !== LinkPhase.Waiting || (!seen && state.nextPollAt !== null)) return state;
  const workflowId = seen?.workflowId ?? watchWorkflowId(state.officialAccountAppId);
  let watch;
  try {
    watch = await client.workflow.getHandle(workflowId).query(getAccountWatchState);
  } catch {
    // The watcher ended or is being replaced: the link's own figures are the best there are.
    return state;
  }
  const nextPollAt = watch.nextPollAt === null || Date.parse(watch.nextPollAt) > Date.parse(state.deadline) ? state.deadline : watch.nextPollAt;
  return { ...state, nextPollAt, accountWatch: { ...seen, workflowId, polls: watch.polls } };
}
