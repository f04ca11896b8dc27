/**
 * Scenario 4, bad input: a table of invalid inputs to every workflow, each sent three ways —
 * started directly through the Temporal client (the workflow fails fast with a non-retryable
 * `InvalidInput` naming the field), through the client library (`InputValidationError` naming
 * the field, before anything starts) and through the `wxamp` CLI (exit 2, one line naming the
 * argument or flag the user typed) — and WeChat never hears of any of them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { InputValidationError, WorkflowType, type LinkInput, type ListInput, type UnlinkInput } from '../../client';
import { CLI_NAMES } from '../../client/cli/cli-names';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { runCli, type CliRun } from '../helpers/worker-process';
import { reportRow } from './helpers/report';
import { secondsSince } from './helpers/suite';

const OA = 'wx1111111111111111';
const MP = 'wx2222222222222222';

/** One invalid input: the workflow it goes to, the field that must be named, and the CLI words for it where the CLI can say it. */
interface BadInput {
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

const BAD_INPUTS: BadInput[] = [
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

const WORKFLOW_TYPES = { link: WorkflowType.Link, unlink: WorkflowType.Unlink, list: WorkflowType.List } as const;
const label = (row: BadInput): string => `${row.workflow}: ${row.why}`;

let h: LinkHarness;
const started = Date.now();
const tally = { checks: 0, passed: 0 };

beforeAll(async () => {
  h = await startLinkHarness();
  // A real account with a real token: had any of these inputs reached an activity, WeChat would have been called.
  h.tokens.set(OA, h.simulator.registerAccount({ appId: OA }).accessToken);
});
afterAll(async () => {
  await h?.close();
});

/** Runs each row's check, counts it in the tally, and returns the problems found. */
async function checkAll(rows: readonly BadInput[], check: (row: BadInput) => Promise<string | null>, concurrency = rows.length): Promise<string[]> {
  const problems: string[] = [];
  const queue = [...rows];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
        const problem = await check(row).catch((error: unknown) => `threw ${String(error)}`);
        tally.checks += 1;
        if (problem === null) tally.passed += 1;
        else problems.push(`${label(row)}: ${problem}`);
      }
    }),
  );
  return problems;
}

/** Runs `wxamp` with TEMPORAL_ADDRESS pointing nowhere: a bad input must be refused before any connection. */
function wxamp(args: readonly string[]): Promise<CliRun> {
  return runCli(args, { TEMPORAL_ADDRESS: '127.0.0.1:1', WXAMP_TASK_QUEUE: h.taskQueue, NO_COLOR: '1' });
}

describe('bad input', () => {
  it(`the table has at least 25 inputs, for every workflow (${BAD_INPUTS.length} rows)`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(BAD_INPUTS.map((row) => row.workflow))).toEqual(new Set(['link', 'unlink', 'list']));
  });

  it('started directly through the Temporal client, each workflow fails fast with a non-retryable InvalidInput naming the field, and schedules no activity', async () => {
    const problems = await checkAll(BAD_INPUTS, async (row) => {
      const t0 = Date.now();
      const handle = await h.client.workflow.start(WORKFLOW_TYPES[row.workflow], {
        taskQueue: h.taskQueue,
        workflowId: `bad-input/${row.workflow}/${randomBytes(6).toString('hex')}`,
        args: [row.input],
      });
      const error = await handle.result().then(
        () => null,
        (e: unknown) => e,
      );
      const ms = Date.now() - t0;
      if (!(error instanceof WorkflowFailedError)) return `did not fail (${String(error)})`;
      const cause = error.cause;
      if (!(cause instanceof ApplicationFailure)) return `failed with ${String(cause)}`;
      if (cause.type !== 'InvalidInput' || !cause.nonRetryable) return `failed with ${cause.type ?? '?'} (nonRetryable ${String(cause.nonRetryable)})`;
      if (!cause.message.includes(`${row.field}: `)) return `message does not name ${row.field}: ${cause.message}`;
      if ((cause.details?.[0] as { field?: string } | undefined)?.field !== row.field) return `details name ${JSON.stringify(cause.details)}`;
      if (ms > 10_000) return `took ${ms} ms`;
      const history = await handle.fetchHistory();
      if (history.events?.some((event) => event.activityTaskScheduledEventAttributes)) return 'scheduled an activity';
      return null;
    });
    expect(problems).toEqual([]);
  });

  it('through the client library, each input is refused with an InputValidationError naming the field', async () => {
    const problems = await checkAll(BAD_INPUTS, async (row) => {
      const attempt = (): Promise<unknown> => {
        if (row.workflow === 'link') return h.links.link(row.input as LinkInput);
        if (row.workflow === 'unlink') return h.links.unlink(row.input as UnlinkInput);
        const { officialAccountAppId, ...options } = row.input as ListInput;
        return h.links.list(officialAccountAppId, options);
      };
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      if (!(error instanceof InputValidationError)) return `not refused with InputValidationError (${String(error)})`;
      if (error.field !== row.field) return `names ${error.field}, not ${row.field}`;
      return null;
    });
    expect(problems).toEqual([]);
  });

  const cliRows = BAD_INPUTS.filter((row) => row.cli !== undefined);
  it(`through the wxamp CLI, each input it can express exits 2 with one line naming the argument or flag, without connecting (${cliRows.length} rows)`, async () => {
    const problems = await checkAll(
      cliRows,
      async (row) => {
        const run = await wxamp(row.cli ?? []);
        // The CLI's words for the field (<oa>, --poll-interval); the input field's own name must not appear.
        const name = row.cliNames ?? `${CLI_NAMES[row.field] ?? '?'}: `;
        if (run.code !== 2) return `exit ${String(run.code)}: ${run.stderr.trim()}`;
        if (run.stdout !== '') return `printed on stdout: ${run.stdout}`;
        if (run.stderr.trimEnd().split('\n').length !== 1 || !run.stderr.startsWith('wxamp: ')) return `not one line: ${run.stderr}`;
        if (!run.stderr.includes(name)) return `does not name ${name}: ${run.stderr.trim()}`;
        if (row.cliNames === undefined && new RegExp(`(?<![-\\w])${row.field}\\b`).test(run.stderr))
          return `names the input field ${row.field}: ${run.stderr.trim()}`;
        return null;
      },
      4,
    );
    expect(problems).toEqual([]);
  });

  it('WeChat received no call for any of them (and would have: a valid list calls it once)', async () => {
    const callsForBadInput = h.simulator.countCalls();
    const items = await h.links.list(OA);
    const callsForValidList = h.simulator.countCalls() - callsForBadInput;
    reportRow({
      scenario: '4 bad input',
      runs: tally.checks,
      correct: tally.passed,
      duplicateSends: 0,
      apiCalls: callsForBadInput,
      seconds: secondsSince(started),
      note: `${BAD_INPUTS.length} inputs × (Temporal client, library) + ${cliRows.length} through the CLI; 0 calls`,
    });
    expect(callsForBadInput).toBe(0);
    expect(items).toEqual([]);
    expect(callsForValidList).toBe(1);
  });
});
