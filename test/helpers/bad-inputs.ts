/**
 * Invalid inputs to the link, unlink and list workflows, one row each: the field the workflows must
 * name, and the `wxamp` arguments that carry the same mistake where the CLI can say it. Shared by
 * the reliability suite (test/reliability/bad-input.reliability.ts sends each to the workflows, the
 * library and the CLI) and the JSON Schemas' test (test/unit/contract-schemas.test.ts).
 */

/** The official account every row uses. */
export const OA = 'wx1111111111111111';
/** The mini program every row uses. */
export const MP = 'wx2222222222222222';

/** One invalid input: the workflow it goes to, the field that must be named, and the CLI words for it where the CLI can say it. */
export interface BadInput {
  workflow: 'link' | 'unlink' | 'list';
  why: string;
  field: string;
  input: unknown;
  /** `wxamp` arguments that carry the same mistake, if the CLI can express it. */
  cli?: string[];
  /** What the CLI's message quotes, when commander rather than the validators refuses it. */
  cliNames?: string;
}

const link = (fields: Record<string, unknown>): Record<string, unknown> => ({ officialAccountAppId: OA, miniProgramAppId: MP, ...fields });
const linkCli = (...flags: string[]): string[] => ['link', OA, MP, ...flags];
const unlinkCli = (...flags: string[]): string[] => ['unlink', OA, MP, ...flags];

/** Every invalid input, at least 25, for each workflow. */
export const BAD_INPUTS: readonly BadInput[] = [
  { workflow: 'link', why: 'missing official account', field: 'officialAccountAppId', input: { miniProgramAppId: MP } },
  { workflow: 'link', why: 'missing mini program', field: 'miniProgramAppId', input: { officialAccountAppId: OA }, cli: ['link', OA], cliNames: "'mp'" },
  { workflow: 'link', why: 'empty official account', field: 'officialAccountAppId', input: link({ officialAccountAppId: '' }), cli: ['link', '', MP] },
  { workflow: 'link', why: 'official account as a number', field: 'officialAccountAppId', input: link({ officialAccountAppId: 1234 }) },
  {
    workflow: 'link',
    why: 'appid with a slash',
    field: 'miniProgramAppId',
    input: link({ miniProgramAppId: 'wx/../other' }),
    cli: ['link', OA, 'wx/../other'],
  },
  {
    workflow: 'link',
    why: 'appid with a quote',
    field: 'miniProgramAppId',
    input: link({ miniProgramAppId: "wx2' OR '1'='1" }),
    cli: ['link', OA, "wx2' OR '1'='1"],
  },
  {
    workflow: 'link',
    why: 'appid with a space',
    field: 'officialAccountAppId',
    input: link({ officialAccountAppId: 'wx 1111' }),
    cli: ['link', 'wx 1111', MP],
  },
  {
    workflow: 'link',
    why: 'oversize appid (102 chars)',
    field: 'miniProgramAppId',
    input: link({ miniProgramAppId: `wx${'a'.repeat(100)}` }),
    cli: ['link', OA, `wx${'a'.repeat(100)}`],
  },
  { workflow: 'link', why: 'notifyUsers as "1"', field: 'notifyUsers', input: link({ notifyUsers: '1' }) },
  { workflow: 'link', why: 'showProfile as 1', field: 'showProfile', input: link({ showProfile: 1 }) },
  {
    workflow: 'link',
    why: 'username without gh_',
    field: 'miniProgramUsername',
    input: link({ miniProgramUsername: 'someone' }),
    cli: linkCli('--username', 'someone'),
  },
  {
    workflow: 'link',
    why: 'username with GH_',
    field: 'miniProgramUsername',
    input: link({ miniProgramUsername: 'GH_1a2b3c' }),
    cli: linkCli('--username', 'GH_1a2b3c'),
  },
  {
    workflow: 'link',
    why: 'oversize username (5003 chars)',
    field: 'miniProgramUsername',
    input: link({ miniProgramUsername: `gh_${'a'.repeat(5000)}` }),
    cli: linkCli('--username', `gh_${'a'.repeat(5000)}`),
  },
  { workflow: 'link', why: 'username as a number', field: 'miniProgramUsername', input: link({ miniProgramUsername: 42 }) },
  {
    workflow: 'link',
    why: 'unparseable pollInterval',
    field: 'pollInterval',
    input: link({ pollInterval: 'often' }),
    cli: linkCli('--poll-interval', 'often'),
  },
  { workflow: 'link', why: 'zero pollInterval', field: 'pollInterval', input: link({ pollInterval: 0 }), cli: linkCli('--poll-interval', '0s') },
  { workflow: 'link', why: 'negative pollInterval', field: 'pollInterval', input: link({ pollInterval: '-5s' }), cli: linkCli('--poll-interval=-5s') },
  { workflow: 'link', why: 'pollInterval under 50 ms', field: 'pollInterval', input: link({ pollInterval: '10ms' }), cli: linkCli('--poll-interval', '10ms') },
  {
    workflow: 'link',
    why: 'maxPollInterval < pollInterval',
    field: 'maxPollInterval',
    input: link({ pollInterval: '1m', maxPollInterval: '10s' }),
    cli: linkCli('--poll-interval', '1m', '--max-poll-interval', '10s'),
  },
  { workflow: 'link', why: 'timeout beyond 366d', field: 'timeout', input: link({ timeout: '367d' }), cli: linkCli('--timeout', '367d') },
  { workflow: 'link', why: 'negative timeout', field: 'timeout', input: link({ timeout: -1 }), cli: linkCli('--timeout=-1d') },
  { workflow: 'link', why: 'timeout as an object', field: 'timeout', input: link({ timeout: { days: 1 } }) },
  {
    workflow: 'link',
    why: 'unknown field notify_users',
    field: 'notify_users',
    input: link({ notify_users: '1' }),
    cli: linkCli('--notify_users'),
    cliNames: "'--notify_users'",
  },
  { workflow: 'link', why: 'input not an object', field: 'input', input: null },
  { workflow: 'link', why: 'maxHistoryEvents too small', field: 'maxHistoryEvents', input: link({ maxHistoryEvents: 5 }) },
  { workflow: 'unlink', why: 'missing mini program', field: 'miniProgramAppId', input: { officialAccountAppId: OA }, cli: ['unlink', OA], cliNames: "'mp'" },
  { workflow: 'unlink', why: 'appid with a colon', field: 'officialAccountAppId', input: link({ officialAccountAppId: 'wx:1' }), cli: ['unlink', 'wx:1', MP] },
  { workflow: 'unlink', why: 'unparseable timeout', field: 'timeout', input: link({ timeout: 'forever' }), cli: unlinkCli('--timeout', 'forever') },
  {
    workflow: 'unlink',
    why: 'maxPollInterval < pollInterval',
    field: 'maxPollInterval',
    input: link({ pollInterval: '30s', maxPollInterval: '1s' }),
    cli: unlinkCli('--poll-interval', '30s', '--max-poll-interval', '1s'),
  },
  {
    workflow: 'unlink',
    why: 'a link-only field',
    field: 'showProfile',
    input: link({ showProfile: true }),
    cli: unlinkCli('--show-profile'),
    cliNames: "'--show-profile'",
  },
  {
    workflow: 'unlink',
    why: 'username without gh_',
    field: 'miniProgramUsername',
    input: link({ miniProgramUsername: 'wx123' }),
    cli: unlinkCli('--username', 'wx123'),
  },
  {
    workflow: 'unlink',
    why: 'zero maxPollInterval',
    field: 'maxPollInterval',
    input: link({ maxPollInterval: '0ms' }),
    cli: unlinkCli('--max-poll-interval', '0ms'),
  },
  { workflow: 'unlink', why: 'pollInterval as a boolean', field: 'pollInterval', input: link({ pollInterval: true }) },
  { workflow: 'list', why: 'missing official account', field: 'officialAccountAppId', input: {}, cli: ['list'], cliNames: "'oa'" },
  { workflow: 'list', why: 'appid with a slash', field: 'officialAccountAppId', input: { officialAccountAppId: 'a/b' }, cli: ['list', 'a/b'] },
  {
    workflow: 'list',
    why: 'oversize appid (67 chars)',
    field: 'officialAccountAppId',
    input: { officialAccountAppId: `wx${'1'.repeat(65)}` },
    cli: ['list', `wx${'1'.repeat(65)}`],
  },
  { workflow: 'list', why: 'zero timeout', field: 'timeout', input: { officialAccountAppId: OA, timeout: '0s' }, cli: ['list', OA, '--timeout', '0s'] },
  {
    workflow: 'list',
    why: 'unparseable timeout',
    field: 'timeout',
    input: { officialAccountAppId: OA, timeout: 'soon' },
    cli: ['list', OA, '--timeout', 'soon'],
  },
  { workflow: 'list', why: 'timeout as a boolean', field: 'timeout', input: { officialAccountAppId: OA, timeout: true } },
  { workflow: 'list', why: 'unknown field', field: 'miniProgramAppId', input: { officialAccountAppId: OA, miniProgramAppId: MP } },
];
