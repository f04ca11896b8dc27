/**
 * A waiting link is woken by its account's watcher only when something changed, so between changes
 * its own `polls` and `nextPollAt` are as of the last change. The watcher knows the rest: this
 * folds its count and its next poll into the link's state, so that callers read the live figures.
 */
import type { Client } from '@temporalio/client';
import { getAccountWatchState, LinkPhase, type LinkState } from '../workflows/contract';

/** `state` with the account watcher's live poll count and next poll, when a watcher serves it. */
export async function withWatcherView(client: Client, state: LinkState): Promise<LinkState> {
  const seen = state.accountWatch;
  if (!seen || state.phase !== LinkPhase.Waiting) return state;
  let watch;
  try {
    watch = await client.workflow.getHandle(seen.workflowId).query(getAccountWatchState);
  } catch {
    // The watcher ended or is being replaced: the link's own figures are the best there are.
    return state;
  }
  // A new watcher counts from zero: all of its polls are new to the link.
  const unseen = watch.polls >= seen.polls ? watch.polls - seen.polls : watch.polls;
  const nextPollAt = watch.nextPollAt === null || Date.parse(watch.nextPollAt) > Date.parse(state.deadline) ? state.deadline : watch.nextPollAt;
  return { ...state, polls: state.polls + unseen, nextPollAt, accountWatch: { workflowId: seen.workflowId, polls: watch.polls } };
}
