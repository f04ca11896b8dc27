/**
 * Calling an activity until it succeeds, WeChat refuses definitively, or the deadline passes.
 * The workflow owns retries (activities run one attempt each) so that every failure is visible
 * in `getLinkState.lastError` and the wait before the next try follows the failure's type.
 */
import { condition } from '@temporalio/workflow';
import { WeChatFailureType } from '../contract';
import { describeActivityFailure, type FailureInfo } from '../support/activity-failures';
import { extendStreak, streakNote, streakSettles, type RefusalStreak } from '../watch/account-refusal';
import { countFailure, retryDelay, type FailureCounts } from '../support/backoff';
import type { WaitContext } from './wait-context';
import type { OperatorPolicy } from '../support/operator-policy';
import { nowMs } from '../support/workflow-clock';

/** How a retried call ended. */
export type RetriedCall<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; failure: FailureInfo }
  | { kind: 'deadline'; failure: FailureInfo }
  /** The history grew long while retrying: continue as new, then call again at `retryAtMs`. */
  | { kind: 'continue'; retryAtMs: number }
  /** The call may have taken effect (see {@link RetryOptions.unsure}); the back-off has been waited. */
  | { kind: 'unsure'; failure: FailureInfo };

/** Options of {@link callWithRetries}. */
export interface RetryOptions {
  /**
   * True for a failure after which the call may have reached WeChat all the same (no answer, a
   * garbled one): instead of calling again, the back-off is waited and `unsure` returned, so that
   * the caller can look before it repeats a call that must not be made twice.
   */
  unsure?: (failure: FailureInfo) => boolean;
}

/** What the retry loop needs from its workflow, beyond waiting: the failure counts and the refusal rule. */
export interface RetryContext extends WaitContext {
  /** When odd account-level refusals become a verdict (the operator's policy). */
  accountRefusal: () => OperatorPolicy['accountRefusal'];
  /** Failures in a row so far, carried across continue-as-new; reset by a success. */
  consecutiveFailures: number;
  /** The same, per failure type: each type backs off on its own count. */
  failuresByType: FailureCounts;
}

/** Runs `call` until it succeeds, fails definitively, or the deadline passes. */
export async function callWithRetries<T>(call: () => Promise<T>, context: RetryContext, options: RetryOptions = {}): Promise<RetriedCall<T>> {
  let streak: RefusalStreak | null = null;
  for (;;) {
    let failure: FailureInfo;
    try {
      const value = await call();
      context.consecutiveFailures = 0;
      context.failuresByType = {};
      return { kind: 'ok', value };
    } catch (error) {
      failure = describeActivityFailure(error);
    }
    if (failure.type === WeChatFailureType.Refused) return { kind: 'refused', failure };
    if (failure.type === WeChatFailureType.UnconfirmedRefusal) {
      // An odd answer about the whole account: a verdict only when it persists.
      streak = extendStreak(streak, nowMs());
      if (streakSettles(streak, context.accountRefusal())) return { kind: 'refused', failure };
      failure = { ...failure, message: `${failure.message} (${streakNote(streak, context.accountRefusal())})` };
    }
    const consecutiveFailures = ++context.consecutiveFailures;
    const counted = countFailure(context.failuresByType, failure.type);
    context.failuresByType = counted.counts;
    context.tracker.recordFailure(failure, consecutiveFailures);

    const retryAt = nowMs() + retryDelay(failure.type, counted.attempt, context.intervals, nowMs());
    // A token rejected for days must not grow one run's history without bound.
    if (context.historyIsLong() && retryAt < context.deadlineMs) return { kind: 'continue', retryAtMs: retryAt };
    if (retryAt >= context.deadlineMs) {
      context.tracker.planNext(null);
      await condition(context.wakeRequested, Math.max(1, context.deadlineMs - nowMs()), { summary: 'deadline after a failure' });
      if (!context.wakeRequested()) return { kind: 'deadline', failure };
    } else {
      context.tracker.planNext(retryAt);
      await condition(context.wakeRequested, retryAt - nowMs(), { summary: `retry after ${failure.type}` });
    }
    context.consumeWake();
    if (options.unsure?.(failure)) return { kind: 'unsure', failure };
  }
}
