import { describe, expect, it } from '@jest/globals';
import { InputValidationError } from '../../workflows/support/validate-input';
import { normalizeWaiter, normalizeWatchInput } from '../../workflows/watch/validate-watch-input';

const waiter = { workflowId: 'wxamp-link/wx1111111111111111/wx2222222222222222', pollIntervalMs: 15_000, maxPollIntervalMs: 300_000, maxHistoryEvents: 4_000 };
const oa = 'wx1111111111111111';

function rejection(validate: () => unknown): InputValidationError {
  try {
    validate();
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('waiter validation', () => {
  it('accepts a waiter as it is', () => {
    expect(normalizeWaiter(waiter)).toEqual(waiter);
  });

  it('accepts equal intervals of 1 ms and the history budget bounds', () => {
    expect(normalizeWaiter({ ...waiter, pollIntervalMs: 1, maxPollIntervalMs: 1, maxHistoryEvents: 100 })).toMatchObject({
      pollIntervalMs: 1,
      maxHistoryEvents: 100,
    });
    expect(normalizeWaiter({ ...waiter, maxHistoryEvents: 10_000 }).maxHistoryEvents).toBe(10_000);
  });

  it('drops fields it does not know (a newer waiter may carry one during a rolling deploy)', () => {
    expect(normalizeWaiter({ ...waiter, addedLater: true })).toEqual(waiter);
  });

  it.each([
    [null, 'waiter', /must be an object/],
    [[waiter], 'waiter', /must be an object/],
    [{ ...waiter, workflowId: undefined }, 'workflowId', /is required/],
    [{ ...waiter, workflowId: '' }, 'workflowId', /must not be empty/],
    [{ ...waiter, workflowId: 42 }, 'workflowId', /must be a string/],
    [{ ...waiter, workflowId: 'w'.repeat(1001) }, 'workflowId', /at most 1000 characters/],
    [{ ...waiter, pollIntervalMs: undefined }, 'pollIntervalMs', /is required/],
    [{ ...waiter, pollIntervalMs: '15s' }, 'pollIntervalMs', /number of milliseconds/],
    [{ ...waiter, pollIntervalMs: Number.NaN }, 'pollIntervalMs', /number of milliseconds/],
    [{ ...waiter, pollIntervalMs: Number.POSITIVE_INFINITY }, 'pollIntervalMs', /number of milliseconds/],
    [{ ...waiter, pollIntervalMs: 0 }, 'pollIntervalMs', /at least 1/],
    [{ ...waiter, pollIntervalMs: 1.5 }, 'pollIntervalMs', /whole number/],
    [{ ...waiter, maxPollIntervalMs: -1 }, 'maxPollIntervalMs', /at least 1/],
    [{ ...waiter, pollIntervalMs: 2_000, maxPollIntervalMs: 1_000 }, 'maxPollIntervalMs', /not be shorter than pollIntervalMs/],
    [{ ...waiter, maxHistoryEvents: undefined }, 'maxHistoryEvents', /is required/],
    [{ ...waiter, maxHistoryEvents: 99 }, 'maxHistoryEvents', /at least 100/],
    [{ ...waiter, maxHistoryEvents: 10_001 }, 'maxHistoryEvents', /at most 10000/],
    [{ ...waiter, maxHistoryEvents: 400.5 }, 'maxHistoryEvents', /whole number/],
    [{ ...waiter, workflowId: '', pollIntervalMs: 0 }, 'workflowId', /must not be empty/],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = rejection(() => normalizeWaiter(input));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });
});

describe('watch input validation', () => {
  it('accepts an account alone, and with its first waiters', () => {
    expect(normalizeWatchInput({ officialAccountAppId: oa })).toEqual({ officialAccountAppId: oa });
    expect(normalizeWatchInput({ officialAccountAppId: oa, waiters: [] })).toEqual({ officialAccountAppId: oa, waiters: [] });
    expect(normalizeWatchInput({ officialAccountAppId: oa, waiters: [waiter, { ...waiter, workflowId: 'other', extra: 1 }] })).toEqual({
      officialAccountAppId: oa,
      waiters: [waiter, { ...waiter, workflowId: 'other' }],
    });
  });

  it.each([
    [undefined, 'input', /must be an object/],
    [{}, 'officialAccountAppId', /is required/],
    [{ officialAccountAppId: 'wx/1' }, 'officialAccountAppId', /appid/],
    [{ officialAccountAppId: oa, waiters: null }, 'waiters', /must be an array/],
    [{ officialAccountAppId: oa, waiters: waiter }, 'waiters', /must be an array/],
    [{ officialAccountAppId: oa, waiters: [waiter, 'w'] }, 'waiters[1]', /must be an object/],
    [{ officialAccountAppId: oa, waiters: [{ ...waiter, pollIntervalMs: 0 }] }, 'waiters[0].pollIntervalMs', /at least 1/],
    [
      { officialAccountAppId: oa, waiters: [waiter, { ...waiter, maxPollIntervalMs: 10 }] },
      'waiters[1].maxPollIntervalMs',
      /not be shorter than pollIntervalMs/,
    ],
    [{ officialAccountAppId: oa, waiters: [{ ...waiter, workflowId: undefined }] }, 'waiters[0].workflowId', /is required/],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = rejection(() => normalizeWatchInput(input));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
