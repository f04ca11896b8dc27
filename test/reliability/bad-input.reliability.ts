/**
 * Scenario 4, bad input: the table of invalid inputs to every workflow (test/helpers/bad-inputs.ts,
 * shared with the JSON Schemas' test), each sent three ways — started directly through the
 * Temporal client (the workflow fails fast with a non-retryable `InvalidInput` naming the field),
 * through the client library (`InputValidationError` naming the field, before anything starts)
 * and through the `wxamp` CLI (exit 2, one line naming the argument or flag the user typed) — and
 * WeChat never hears of any of them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { InputValidationError, WorkflowType, type LinkInput, type ListInput, type UnlinkInput } from '../../client';
import { CLI_NAMES } from '../../client/cli/cli-names';
import { BAD_INPUTS, OA, type BadInput } from '../helpers/bad-inputs';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { runCli, type CliRun } from '../helpers/worker-process';
import { reportRow } from './helpers/report';
import { secondsSince } from './helpers/suite';

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
