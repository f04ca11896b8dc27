/**
 * What a workflow learns from a failed activity: the failure type of the errcode table, the
 * message, and WeChat's errcode and errmsg when there were any. Cancellation is not a failure
 * to describe: it is rethrown so that the workflow ends as cancelled.
 */
import { ActivityFailure, ApplicationFailure, TimeoutFailure, isCancellation } from '@temporalio/workflow';
import { WeChatFailureType, type LastError } from '../contract';
import { iso } from './workflow-clock';

/** A failed call, as the workflow records it. */
export interface FailureInfo {
  type: string;
  message: string;
  errcode?: number;
  errmsg?: string;
}

/** Type recorded when an activity ran out of time (the worker died or WeChat hung). */
export const ACTIVITY_TIMEOUT_TYPE = 'ActivityTimeout';

/** Describes a failed activity call. @throws the error itself when it is a cancellation. */
export function describeActivityFailure(error: unknown): FailureInfo {
  if (isCancellation(error)) throw error;
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { errcode?: unknown; errmsg?: unknown };
    return {
      type: cause.type ?? 'Error',
      message: cause.message,
      ...(typeof details.errcode === 'number' && { errcode: details.errcode }),
      ...(typeof details.errmsg === 'string' && { errmsg: details.errmsg }),
    };
  }
  if (cause instanceof TimeoutFailure) {
    return { type: ACTIVITY_TIMEOUT_TYPE, message: `the activity timed out (${cause.timeoutType ?? 'unknown'}): retried` };
  }
  if (cause instanceof Error) return { type: cause.name, message: cause.message };
  throw error;
}

/** The `lastError` a workflow shows for a failure recorded at `atMs`. */
export function toLastError(failure: FailureInfo, consecutiveFailures: number, atMs: number): LastError {
  return {
    type: failure.type,
    message: failure.message,
    at: iso(atMs),
    consecutiveFailures,
    ...(failure.errcode !== undefined && { errcode: failure.errcode }),
    ...(failure.errmsg !== undefined && { errmsg: failure.errmsg }),
  };
}

/**
 * Failure types that are WeChat's answer that a call was not carried out: a rate limit, a spent
 * quota, a rejected or missing token. Any other failure (no answer, a garbled one, a 5xx, -1,
 * an activity that timed out because its worker died) may hide a call that took effect.
 */
const NOT_CARRIED_OUT: ReadonlySet<string> = new Set([
  WeChatFailureType.RateLimited,
  WeChatFailureType.QuotaExhausted,
  WeChatFailureType.TokenRejected,
  WeChatFailureType.TokenUnavailable,
  WeChatFailureType.Refused,
]);

/** True when a failed call may have reached WeChat and taken effect all the same. */
export function sendMayHaveLanded(failure: FailureInfo): boolean {
  return !NOT_CARRIED_OUT.has(failure.type);
}
