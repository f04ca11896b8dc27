/**
 * Scenario 5, duplicate starts: 100 starts of the same link at the same moment, from 10 separate
 * client processes (10 each, through the client library in dist/). One workflow runs, WeChat gets
 * one invitation, and every caller gets the same run and the same result.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LinkResult } from '../../client';
import { AUTO_CONFIRM_SCRIPT } from '../../simulator';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { waitFor } from '../helpers/wait';
import { reportRow } from './helpers/report';
import { secondsSince, temporalAddress } from './helpers/suite';
import { testNamespace } from '../helpers/test-namespace';

const PROCESSES = 10;
const STARTS_PER_PROCESS = 10;
const fixture = join(__dirname, 'fixtures', 'start-links.cjs');

let h: LinkHarness;
const children: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

interface ClientProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  exited: Promise<{ code: number | null; stderr: string }>;
}

function startClientProcess(input: object): ClientProcess {
  const child = spawn(process.execPath, [fixture], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: testNamespace(),
      WXAMP_TASK_QUEUE: h.taskQueue,
      LINK_INPUT: JSON.stringify(input),
      LINK_COUNT: String(STARTS_PER_PROCESS),
    },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stderr }));
    // A client that never ends fails the scenario instead of hanging it.
    setTimeout(() => child.kill('SIGKILL'), 120_000).unref();
  });
  return { child, stdout: () => stdout, exited };
}

describe('duplicate starts', () => {
  it('100 concurrent starts of one pair from 10 client processes: one workflow, one invitation, one result for all', async () => {
    const started = Date.now();
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const input = { officialAccountAppId: oa, miniProgramAppId: mp, pollInterval: '100ms', maxPollInterval: '400ms', timeout: '1m' };

    const clients = Array.from({ length: PROCESSES }, () => startClientProcess(input));
    // Every process connected before any starts: the 100 starts really race.
    await waitFor(() => clients.every((c) => c.stdout().startsWith('ready\n')), 'every client process to connect', 60_000);
    for (const c of clients) c.child.stdin.write('go\n');
    const exits = await Promise.all(clients.map((c) => c.exited));

    const answers = clients.flatMap((c) =>
      c
        .stdout()
        .split('\n')
        .slice(1)
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { runId: string; result: LinkResult }),
    );
    const runIds = new Set(answers.map((a) => a.runId));
    const results = new Set(answers.map((a) => JSON.stringify(a.result)));
    const workflowId = `wxamp-link/${oa}/${mp}`;
    let executions = 0;
    await waitFor(async () => (executions = (await h.client.workflow.count(`WorkflowId = "${workflowId}"`)).count) >= 1, 'the workflow in visibility', 15_000);
    const sends = h.simulator.calls({ endpoint: 'wxamplink', miniProgramAppId: mp });
    const accepted = sends.filter((call) => call.errcode === 0).length;
    const [firstRunId] = runIds;
    const [firstResult] = results;
    const agreeing = answers.filter((a) => a.runId === firstRunId && JSON.stringify(a.result) === firstResult && a.result.outcome === 'linked').length;
    reportRow({
      scenario: '5 duplicate starts',
      runs: PROCESSES * STARTS_PER_PROCESS,
      correct: runIds.size === 1 && results.size === 1 ? agreeing : 0,
      duplicateSends: Math.max(0, accepted - 1),
      apiCalls: h.simulator.countCalls({ accountAppId: oa }),
      seconds: secondsSince(started),
      note: `${PROCESSES} processes × ${STARTS_PER_PROCESS}; ${runIds.size} run, ${executions} execution, ${sends.length} wxamplink`,
    });
    expect(exits.map((e) => (e.code === 0 ? 0 : e.stderr))).toEqual(Array(PROCESSES).fill(0));
    expect(answers).toHaveLength(PROCESSES * STARTS_PER_PROCESS);
    expect(runIds.size).toBe(1);
    expect(results.size).toBe(1);
    expect(answers[0]?.result).toMatchObject({ outcome: 'linked', transitions: [{ status: 12 }, { status: 2 }, { status: 1 }] });
    expect(executions).toBe(1);
    expect(sends.map((call) => call.errcode)).toEqual([0]);
  });
});
