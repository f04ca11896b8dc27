/**
 * Validation of the account watcher's input and of the waiters that join it, in the same pure
 * style as validate-input.ts. Only our own workflows send these, but from whichever version of the
 * code they run, so a bad one fails clearly instead of corrupting the watcher's schedule.
 *
 * Unknown fields are dropped, not refused (unlike the public inputs): during a rolling deploy a
 * newer waiter may carry a field an older watcher does not know yet, and must still be answered.
 */
import type { EntryClaim, Waiter, WatchInput } from './watch-protocol';
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
} from '../support/input-fields';

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
  const claim = optionalField(input, 'claim', checkClaim, undefined);
  if (claim !== undefined) waiter.claim = claim;
  if (waiter.maxPollIntervalMs < waiter.pollIntervalMs) fail(fieldName(input, 'maxPollIntervalMs'), 'must not be shorter than pollIntervalMs');
  return waiter;
}

function checkArray(value: unknown): Checked<readonly unknown[]> {
  return Array.isArray(value) ? { ok: true, value } : { ok: false, problem: 'must be an array' };
}

/** An entry's username is a gh_ id; a baseline lists at most this many (an account's entries). */
const MAX_BASELINE_ENTRIES = 1_000;
const checkEntryUsername = checkText(128);

/** A waiter's claim: its username or null, and the usernames listed before its invitation or null. */
function checkClaim(value: unknown): Checked<EntryClaim> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'must be an object' };
  const { username, baseline } = value as Record<string, unknown>;
  if (username !== null && !checkEntryUsername(username).ok) return { ok: false, problem: 'username must be a string or null' };
  if (baseline !== null) {
    if (!Array.isArray(baseline) || baseline.length > MAX_BASELINE_ENTRIES)
      return { ok: false, problem: `baseline must be a list of at most ${MAX_BASELINE_ENTRIES} usernames or null` };
    if (!baseline.every((entry) => checkEntryUsername(entry).ok)) return { ok: false, problem: 'baseline must list usernames' };
  }
  return { ok: true, value: { username: username as string | null, baseline: baseline === null ? null : [...(baseline as string[])] } };
}
