/**
 * What a link's or unlink's waiting needs from its workflow, whether it retries a call of its own
 * (retrying-call.ts) or takes its account watcher's answers (watcher-answers.ts): one shape, made
 * once by pair-workflow.ts.
 */
import type { PollIntervals } from '../support/backoff';
import type { PairStateKeeper } from './pair-state-keeper';

/** The workflow's state, clock and wake-ups, as waiting sees them. */
export interface WaitContext {
  /** Where every change of the state the world sees goes. */
  tracker: PairStateKeeper;
  /** The intervals that apply (the starter's, raised to the operator's floor). */
  intervals: PollIntervals;
  deadlineMs: number;
  /** True when the workflow was asked to poll at once (`pollNow`): cuts a wait short. */
  wakeRequested: () => boolean;
  /** Clears the wake request once it was acted upon. */
  consumeWake: () => void;
  /** True when this run should hand over to a new one before waiting again. */
  historyIsLong: () => boolean;
}
