/**
 * Validation of the account watcher's input and of the waiters that join it, in the same pure
 * style as validate-input.ts. Only our own workflows send these, but from whichever version of the
 * code they run, so a bad one fails clearly instead of corrupting the watcher's schedule.
 *
 * Unknown fields are dropped, not refused (unlike the public inputs): during a rolling deploy a
 * newer waiter may carry a field an older watcher does not know yet, and must still be answered.
 */
import type { Waiter, WatchInput } from './account-watch-protocol';
import {
  checkAppId,
  checkHistoryEvents,
  checkPositiveMs,
  checkText,
  fail,
  fieldName,
  inputObject,
  optionalField,
  requiredField,
  type Checked,
  type InputObject,
} from './input-fields';

/** Workflow ids are at most this long (Temporal's default limit). */
const MAX_WORKFLOW_ID_LENGTH = 1_000;

const checkWorkflowId = checkText(MAX_WORKFLOW_ID_LENGTH);

/**
 * Validates a {@link Waiter} (a join signal's).
 * @throws {@link InputValidationError} naming the first offending field, e.g. `pollIntervalMs`.
 */
export function normalizeWaiter(raw: unknown): Waiter {
  return readWaiter(inputObject(raw, 'waiter'));
}

/**
 * Validates a {@link WatchInput}: the account and the waiters to start with.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeWatchInput(raw: unknown): WatchInput {
  const input = inputObject(raw, 'input');
  const officialAccountAppId = requiredField(input, 'officialAccountAppId', checkAppId);
  const waiters = optionalField(input, 'waiters', checkArray, undefined);
  if (waiters === undefined) return { officialAccountAppId };
  return { officialAccountAppId, waiters: Array.from(waiters, (waiter, i) => readWaiter(inputObject(waiter, `waiters[${i}]`, `waiters[${i}]`))) };
}

/** The waiter's fields, named after `input.path` (`waiters[0].pollIntervalMs`). */
function readWaiter(input: InputObject): Waiter {
  const waiter: Waiter = {
    workflowId: requiredField(input, 'workflowId', checkWorkflowId),
    pollIntervalMs: requiredField(input, 'pollIntervalMs', checkPositiveMs),
    maxPollIntervalMs: requiredField(input, 'maxPollIntervalMs', checkPositiveMs),
    maxHistoryEvents: requiredField(input, 'maxHistoryEvents', checkHistoryEvents),
  };
  if (waiter.maxPollIntervalMs < waiter.pollIntervalMs) fail(fieldName(input, 'maxPollIntervalMs'), 'must not be shorter than pollIntervalMs');
  return waiter;
}

function checkArray(value: unknown): Checked<readonly unknown[]> {
  return Array.isArray(value) ? { ok: true, value } : { ok: false, problem: 'must be an array' };
}
