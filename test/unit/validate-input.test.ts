import { describe, expect, it } from '@jest/globals';
import { InputValidationError, normalizeLinkInput } from '../../workflows/support/validate-input';

const valid = { officialAccountAppId: 'wx1111111111111111', miniProgramAppId: 'wx2222222222222222' };

describe('link input validation', () => {
  it('applies DESIGN defaults', () => {
    expect(normalizeLinkInput(valid)).toEqual({
      ...valid,
      notifyUsers: false,
      showProfile: false,
      miniProgramUsername: null,
      pollIntervalMs: 15_000,
      maxPollIntervalMs: 300_000,
      timeoutMs: 7 * 24 * 3600 * 1000,
      maxHistoryEvents: 4_000,
      notifyUrl: null,
      notifyTransitions: false,
    });
  });

  it('accepts duration strings and milliseconds', () => {
    expect(normalizeLinkInput({ ...valid, pollInterval: '200ms', maxPollInterval: 2000, timeout: '3d' })).toMatchObject({
      pollIntervalMs: 200,
      maxPollIntervalMs: 2000,
      timeoutMs: 3 * 24 * 3600 * 1000,
    });
  });

  it.each([
    [undefined, 'input', /must be an object/],
    ['wx1', 'input', /must be an object/],
    [{ miniProgramAppId: 'wx2' }, 'officialAccountAppId', /is required/],
    [{ ...valid, officialAccountAppId: '' }, 'officialAccountAppId', /appid/],
    [{ ...valid, miniProgramAppId: 'wx/../x' }, 'miniProgramAppId', /appid/],
    [{ ...valid, miniProgramAppId: 42 }, 'miniProgramAppId', /string/],
    [{ ...valid, notifyUsers: '1' }, 'notifyUsers', /true or false/],
    [{ ...valid, showProfile: 'true' }, 'showProfile', /true or false/],
    [{ ...valid, miniProgramUsername: 'mine' }, 'miniProgramUsername', /gh_/],
    [{ ...valid, pollInterval: 'soon' }, 'pollInterval', /duration/],
    [{ ...valid, pollInterval: -5 }, 'pollInterval', /positive/],
    [{ ...valid, pollInterval: '10ms' }, 'pollInterval', /at least 50ms/],
    [{ ...valid, pollInterval: '10m', maxPollInterval: '1m' }, 'maxPollInterval', /not be shorter/],
    [{ ...valid, timeout: '400d' }, 'timeout', /366d/],
    [{ ...valid, notify_users: '1' }, 'notify_users', /unknown field/],
    [{ ...valid, maxHistoryEvents: 20 }, 'maxHistoryEvents', /at least 100/],
  ])('rejects %j naming %s', (input, field, message) => {
    let caught: unknown;
    try {
      normalizeLinkInput(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputValidationError);
    expect((caught as InputValidationError).field).toBe(field);
    expect((caught as InputValidationError).message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect((caught as InputValidationError).message).toMatch(message);
  });
});
