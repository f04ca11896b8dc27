/**
 * Validation of the account watcher's input and join signals (placeholder until the pure
 * validators land: same names, same contract).
 */
import type { Waiter, WatchInput } from './account-watch-protocol';
import { InputValidationError } from './validate-input';

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** A waiter as the watcher accepts it. @throws InputValidationError naming the field. */
export function normalizeWaiter(raw: unknown, path = 'waiter'): Waiter {
  if (typeof raw !== 'object' || raw === null) throw new InputValidationError(path, `${path}: must be an object`);
  const waiter = raw as Record<string, unknown>;
  if (typeof waiter.workflowId !== 'string' || waiter.workflowId === '') throw new InputValidationError(`${path}.workflowId`, `${path}.workflowId: must be a non-empty string`);
  for (const field of ['pollIntervalMs', 'maxPollIntervalMs', 'maxHistoryEvents'] as const) {
    if (!isCount(waiter[field])) throw new InputValidationError(`${path}.${field}`, `${path}.${field}: must be a whole number ≥ 1`);
  }
  return {
    workflowId: waiter.workflowId,
    pollIntervalMs: waiter.pollIntervalMs as number,
    maxPollIntervalMs: waiter.maxPollIntervalMs as number,
    maxHistoryEvents: waiter.maxHistoryEvents as number,
  };
}

/** The watcher's input. @throws InputValidationError naming the field. */
export function normalizeWatchInput(raw: unknown): WatchInput {
  if (typeof raw !== 'object' || raw === null) throw new InputValidationError('input', 'input: must be an object');
  const input = raw as Record<string, unknown>;
  if (typeof input.officialAccountAppId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(input.officialAccountAppId)) {
    throw new InputValidationError('officialAccountAppId', 'officialAccountAppId: must be an appid');
  }
  if (input.waiters !== undefined && !Array.isArray(input.waiters)) throw new InputValidationError('waiters', 'waiters: must be a list');
  return {
    officialAccountAppId: input.officialAccountAppId,
    ...(input.waiters !== undefined && { waiters: (input.waiters as unknown[]).map((waiter, index) => normalizeWaiter(waiter, `waiters[${index}]`)) }),
  };
}
