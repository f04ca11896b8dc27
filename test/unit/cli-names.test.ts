/**
 * The CLI names fields as the user typed them: every field a `wxamp` flag or argument carries maps
 * to that flag, in the message's head and wherever the problem mentions another field.
 */
import { describe, expect, it } from '@jest/globals';
import { CLI_NAMES, cliMessageOf, FIND_CLI_NAMES } from '../../client/cli/cli-names';
import { findLinksQuery, WX_LINK_STATUSES } from '../../client/find-links';
import { normalizeLinkInput, normalizeListInput, InputValidationError } from '../../workflows/support/validate-input';

/** What the CLI says about the input `attempt` refuses. */
function cliSays(attempt: () => unknown, names?: Readonly<Record<string, string>>): string {
  try {
    attempt();
    return 'accepted';
  } catch (error) {
    return error instanceof InputValidationError ? cliMessageOf(error, names) : `threw ${String(error)}`;
  }
}

const OA = 'wx1111111111111111';
const MP = 'wx2222222222222222';

describe('cliMessageOf', () => {
  it.each([
    [{ officialAccountAppId: 'a/b', miniProgramAppId: MP }, /^<oa>: must be an appid/],
    [{ officialAccountAppId: OA, miniProgramAppId: 'a b' }, /^<mp>: must be an appid/],
    [{ officialAccountAppId: OA, miniProgramAppId: MP, miniProgramUsername: 'x' }, /^--username: /],
    [{ officialAccountAppId: OA, miniProgramAppId: MP, pollInterval: 'soon' }, /^--poll-interval: must be a duration/],
    [
      { officialAccountAppId: OA, miniProgramAppId: MP, pollInterval: '1m', maxPollInterval: '10s' },
      /^--max-poll-interval: must not be shorter than --poll-interval$/,
    ],
    [{ officialAccountAppId: OA, miniProgramAppId: MP, timeout: '367d' }, /^--timeout: must be at most 366d$/],
  ])('link input %j reads %s', (input, expected) => {
    expect(cliSays(() => normalizeLinkInput(input))).toMatch(expected);
  });

  it('list names its account <oa>; find names the appids by their flags', () => {
    expect(cliSays(() => normalizeListInput({ officialAccountAppId: '' }))).toMatch(/^<oa>: /);
    expect(cliSays(() => findLinksQuery({ miniProgramAppId: "x' OR 1=1" }), FIND_CLI_NAMES)).toMatch(/^--mp: /);
  });

  it('a field the table does not know keeps its own name', () => {
    expect(cliMessageOf(new InputValidationError('maxHistoryEvents', 'maxHistoryEvents: must be at least 100'))).toBe('maxHistoryEvents: must be at least 100');
  });

  it('every name is a flag or an argument', () => {
    for (const name of [...Object.values(CLI_NAMES), ...Object.values(FIND_CLI_NAMES)]) expect(name).toMatch(/^(--[a-z-]+|<[a-z]+>)$/);
  });
});

describe('WX_LINK_STATUSES', () => {
  it('holds the phases, the outcomes of links and unlinks, and cancelled; findLinksQuery refuses the rest', () => {
    expect(WX_LINK_STATUSES).toEqual([
      'sending',
      'waiting',
      'done',
      'linked',
      'already_linked',
      'rejected',
      'refused',
      'expired',
      'timed_out',
      'cancelled',
      'unlinked',
      'not_linked',
    ]);
    expect(findLinksQuery({ status: 'not_linked' })).toContain("WxLinkStatus = 'not_linked'");
    expect(() => findLinksQuery({ status: 'pending' })).toThrow(/status: must be one of sending, waiting/);
  });
});
