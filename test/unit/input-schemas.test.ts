/**
 * The pure validators report the first offending field in a fixed order (fields, then an unknown
 * field, then the checks between fields), and the client's zod schemas say what the workflows say.
 */
import { describe, expect, it } from '@jest/globals';
import { appIdSchema, durationSchema } from '../../client/input-schemas';
import { checkAppId, checkDuration } from '../../workflows/support/input-fields';
import { InputValidationError, normalizeLinkInput, normalizeListInput, normalizeUnlinkInput } from '../../workflows/support/validate-input';

const valid = { officialAccountAppId: 'wx1111111111111111', miniProgramAppId: 'wx2222222222222222' };

function fieldOf(validate: () => unknown): string {
  try {
    validate();
  } catch (error) {
    if (error instanceof InputValidationError) return error.field;
    throw error;
  }
  return '(accepted)';
}

describe('which field is named first', () => {
  it('the first invalid field in the documented order, whatever order the object has', () => {
    expect(fieldOf(() => normalizeLinkInput({ showProfile: 1, timeout: 'x', ...valid }))).toBe('timeout');
    expect(fieldOf(() => normalizeLinkInput({ maxHistoryEvents: 1, miniProgramAppId: 'a/b', officialAccountAppId: 'wx1' }))).toBe('miniProgramAppId');
  });

  it('an invalid field before an unknown one, and an unknown one before the checks between fields', () => {
    expect(fieldOf(() => normalizeLinkInput({ typo: 1, ...valid, notifyUsers: 'yes' }))).toBe('notifyUsers');
    expect(fieldOf(() => normalizeLinkInput({ typo: 1, ...valid, pollInterval: '10ms' }))).toBe('typo');
    expect(fieldOf(() => normalizeLinkInput({ ...valid, pollInterval: '10ms', maxPollInterval: '5ms', timeout: '400d' }))).toBe('pollInterval');
  });

  it('unlinks refuse the link-only fields; lists know only the account and the timeout', () => {
    expect(fieldOf(() => normalizeUnlinkInput({ ...valid, notifyUsers: true }))).toBe('notifyUsers');
    expect(fieldOf(() => normalizeListInput({ ...valid }))).toBe('miniProgramAppId');
    expect(normalizeListInput({ officialAccountAppId: 'wx1' })).toEqual({ officialAccountAppId: 'wx1', timeoutMs: 300_000 });
    expect(normalizeUnlinkInput(valid)).toEqual({
      ...valid,
      miniProgramUsername: null,
      pollIntervalMs: 15_000,
      maxPollIntervalMs: 300_000,
      timeoutMs: 604_800_000,
      maxHistoryEvents: 4_000,
      notifyUrl: null,
      notifyTransitions: false,
    });
  });
});

describe('the zod schemas of the client and the worker configuration', () => {
  it.each([['wx1234567890abcdef'], [''], ['a/b'], [42], [undefined]])('appIdSchema says what checkAppId says of %j', (value) => {
    const parsed = appIdSchema.safeParse(value);
    const checked = checkAppId(value);
    expect(parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: parsed.error.issues[0]?.message }).toEqual(checked);
  });

  it.each([['15s'], [2_000], ['soon'], [0], ['-1d'], [true], [Number.NaN]])('durationSchema says what checkDuration says of %j', (value) => {
    const parsed = durationSchema.safeParse(value);
    const checked = checkDuration(value);
    expect(parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: parsed.error.issues[0]?.message }).toEqual(checked);
  });
});
