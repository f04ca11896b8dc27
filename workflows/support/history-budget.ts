/**
 * When a long wait should continue as new: well before Temporal's 10,240-event warning (a 7-day
 * wait polling every 5 minutes writes about 22,000 events), or as soon as the server suggests it.
 */
import { workflowInfo } from '@temporalio/workflow';

/** Default number of history events after which a run hands over to a new one. */
export const DEFAULT_MAX_HISTORY_EVENTS = 4_000;

/** True when this run's history is long enough to continue as new. */
export function historyIsLong(maxHistoryEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
}
