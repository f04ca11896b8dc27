/**
 * The `wxamp` command line as people and scripts run it: a real process (`node
 * dist/client/cli/main.js`) configured by the same environment variables as the worker, against
 * the test file's worker and simulator. Exit codes and `--json` output are its contract.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { findFreePort } from '../local/free-port';
import { startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

const cliMain = join(__dirname, '..', 'dist', 'client', 'cli', 'main.js');
const FAST_FLAGS = ['--poll-interval', '100ms', '--max-poll-interval', '400ms', '--timeout', '30s'];
/** Polls so slow that only pollNow (or cancel) moves the workflow within a test. */
const SLOW_FLAGS = ['--poll-interval', '1m', '--max-poll-interval', '1m', '--timeout', '5m'];

let h: LinkHarness;
/** CLI processes still running, killed at the end should a test fail while one waits. */
const children = new Set<ChildProcess>();
beforeAll(async () => {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`npm run build\` first (npm test does it)`);
  h = await startLinkHarness();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `wxamp …` to its end, as a script would: stdout is a pipe, colour is whatever the env says.
 * `onFirstLine` runs once the first line is out, after stdout was closed as `| head -1` closes it;
 * `onOutput` sees stdout so far after each chunk (to wait for a line while the command runs).
 */
function wxamp(args: readonly string[], env: NodeJS.ProcessEnv = {}, onFirstLine?: () => void, onOutput?: (stdout: string) => void): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      env: { ...process.env, WXAMP_DEBUG: '', TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS, WXAMP_TASK_QUEUE: h.taskQueue, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout);
      if (onFirstLine === undefined || !stdout.includes('\n')) return;
      child.stdout.destroy();
      onFirstLine();
      onFirstLine = undefined;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The lines of `--json` output, each parsed. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A user error reads as one line on stderr, prefixed `wxamp:`, without a stack trace. */
function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^wxamp: /);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toContain('    at ');
}

describe('wxamp link', () => {
  it('link --wait --json streams the start, the states and the outcome, and exits 0 once linked', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const run = await wxamp(['link', oa, mp, ...FAST_FLAGS, '--show-profile', '--wait', '--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout); // every stdout line is JSON
    expect(lines[0]).toEqual({ type: 'started', workflowId: `wxamp-link/${oa}/${mp}`, runId: expect.any(String) });
    // States are sampled about once a second, so a fast link may show few; the last one is final.
    expect(lines.at(-2)).toMatchObject({ type: 'state', phase: 'done', status: 1, outcome: 'linked' });
    expect(lines.at(-1)).toMatchObject({
      type: 'outcome',
      outcome: 'linked',
      exitCode: 0,
      result: { outcome: 'linked', status: 1, transitions: [{ status: 12 }, { status: 2 }, { status: 1 }] },
    });
  });

  it('a refusal by WeChat (89013) exits 4 and says which errcode', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.configureMiniProgram(mp, { linkErrcode: 89013 });
    const run = await wxamp(['link', oa, mp, ...FAST_FLAGS, '--wait']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain(`wxamp-link/${oa}/${mp}`);
    expect(run.stdout).toMatch(/refused — errcode 89013 .*\(exit 4\)/);
  });

  it('unlink while a link of the pair runs is refused with exit 10 and nothing is started', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    expect((await wxamp(['link', oa, mp, ...SLOW_FLAGS])).code).toBe(0);
    const run = await wxamp(['unlink', oa, mp]);
    expect(run.code).toBe(10);
    expectOneLineError(run, /a link of this pair is running .*wxamp cancel/);
    expect((await wxamp(['status', oa, mp, '--unlink'])).code).toBe(11);
    await h.links.cancel(oa, mp);
  });
});

describe('following and steering a link', () => {
  it('status --json answers getLinkState; cancel ends it; status then shows cancelled and watch exits 7', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const started = await wxamp(['link', oa, mp, ...SLOW_FLAGS, '--json']);
    expect(JSON.parse(started.stdout)).toEqual({ workflowId: `wxamp-link/${oa}/${mp}`, runId: expect.any(String) });
    await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'waiting');

    const status = await wxamp(['status', oa, mp, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      workflowId: `wxamp-link/${oa}/${mp}`,
      executionStatus: 'RUNNING',
      phase: 'waiting',
      outcome: null,
      polls: expect.any(Number),
    });
    const human = await wxamp(['status', oa, mp]);
    expect(human.stdout).toMatch(/phase\s+waiting/);
    expect(human.stdout).toMatch(/next poll\s+in /);

    const cancel = await wxamp(['cancel', oa, mp]);
    expect(cancel.code).toBe(0);
    const after = await wxamp(['status', oa, mp, '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ executionStatus: 'CANCELLED', phase: 'done', outcome: 'cancelled' });
    const watch = await wxamp(['watch', oa, mp]);
    expect(watch.code).toBe(7);
    expect(watch.stdout).toMatch(/cancelled .*\(exit 7\)/);
    const again = await wxamp(['cancel', oa, mp]);
    expect(again.code).toBe(11);
    expectOneLineError(again, /already ended \(CANCELLED\): nothing to cancel/);
  });

  it('watch, piped, prints one line per change and ends on the outcome after poll-now', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    expect((await wxamp(['link', oa, mp, ...SLOW_FLAGS])).code).toBe(0);
    await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'the send');
    let watched = '';
    const watching = wxamp(['watch', oa, mp], {}, undefined, (stdout) => (watched = stdout));
    // The first poll is a minute away: poll-now brings it forward, then again once both admins confirmed.
    const nudge = await wxamp(['poll-now', oa, mp, '--json']);
    expect(JSON.parse(nudge.stdout)).toEqual({ workflowId: `wxamp-link/${oa}/${mp}`, action: 'pollNow' });
    // The watch queries once a second: wait until it has printed status 12 before the admins act.
    await waitFor(() => watched.includes('status 12'), 'watch shows status 12');
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    expect((await wxamp(['poll-now', oa, mp])).stdout).toContain('to poll wxamplinkget now');
    const watch = await watching;
    expect(watch.code).toBe(0);
    const lines = watch.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.some((line) => line.includes('status 12 (waiting for the official-account admin)'))).toBe(true);
    expect(lines.at(-1)).toMatch(/linked .*\(exit 0\)/);
    expect(watch.stdout).not.toContain('\u001b['); // no colour, no cursor movement in a pipe
  });
});

describe('wxamp campaign', () => {
  it('start from an accounts file, watch to the end (piped and --json), report as CSV and JSON lines; controls after the end exit 11 (like poll-now and cancel)', async () => {
    const mp = h.newMiniProgram();
    const [a, b, c] = [h.newAccount(), h.newAccount(), h.newAccount()];
    h.simulator.scriptLink(a, mp, AUTO_CONFIRM_SCRIPT);
    h.simulator.scriptLink(b, mp, AUTO_CONFIRM_SCRIPT);
    h.simulator.scriptLink(c, mp, [{ afterPolls: 1, then: 3 }]); // its admin declines: rejected
    const accounts = join(mkdtempSync(join(tmpdir(), 'wxamp-cli-')), 'accounts.txt');
    writeFileSync(accounts, `# the accounts that authorized us\n${a}\n${b}\n\n${c}\n${a}\n`);
    const id = `cli-campaign-${mp}`;

    const start = await wxamp([
      'campaign',
      'start',
      '--mini-program',
      mp,
      '--accounts',
      accounts,
      '--id',
      id,
      '--starts-per-minute',
      '600',
      ...FAST_FLAGS,
      '--json',
    ]);
    expect(start.code).toBe(0);
    expect(JSON.parse(start.stdout)).toEqual({ campaignId: id, joined: false, pairs: 4, duplicatesRemoved: 1 });

    const [watch, watchJson] = await Promise.all([wxamp(['campaign', 'watch', id]), wxamp(['campaign', 'watch', id, '--json'])]);
    expect(watch.code).toBe(0);
    const lines = watch.stdout.trimEnd().split('\n');
    expect(new Set(lines).size).toBe(lines.length); // piped: a line per change, never the same twice
    expect(lines.at(-1)).toMatch(/^done \[█{30}\] 3\/3 · .* · 0 waiting · 0 to start · 600\/min$/);
    expect(lines.at(-1)).toContain('linked 2');
    expect(lines.at(-1)).toContain('rejected 1');
    expect(watch.stdout).not.toContain('\u001b[');
    expect(watchJson.code).toBe(0);
    expect(jsonLines(watchJson.stdout).at(-1)).toMatchObject({ phase: 'done', counts: { total: 3, finished: 3, byOutcome: { linked: 2, rejected: 1 } } });

    // The report finds the links by WxCampaignId, which visibility indexes a moment later.
    let csv: CliRun | undefined;
    await waitFor(
      async () => {
        csv = await wxamp(['campaign', 'report', id]);
        return csv.code === 0 && csv.stdout.trimEnd().split('\n').length === 4;
      },
      'a report of the three pairs',
      30_000,
    );
    const [head, ...rows] = (csv?.stdout ?? '').trimEnd().split('\n');
    expect(head).toBe('officialAccountAppId,miniProgramAppId,outcome,status,errcode,finishedAt,note');
    expect(rows.map((row) => row.split(',').slice(0, 5).join(',')).sort()).toEqual(
      [`${a},${mp},linked,1,`, `${b},${mp},linked,1,`, `${c},${mp},rejected,3,`].sort(),
    );
    const json = await wxamp(['campaign', 'report', id, '-o', 'json']);
    expect(json.code).toBe(0);
    const reported = jsonLines(json.stdout);
    expect(reported).toHaveLength(3);
    expect(reported.find((row) => row.officialAccountAppId === c)).toMatchObject({ miniProgramAppId: mp, outcome: 'rejected', status: 3, errcode: null });
    for (const row of reported) expect(Date.parse(String(row.finishedAt))).not.toBeNaN();

    const badFormat = await wxamp(['campaign', 'report', id, '-o', 'xml']);
    expect(badFormat.code).toBe(2);
    expectOneLineError(badFormat, /--output: must be csv or json/);
    const late = await wxamp(['campaign', 'pause', id]);
    expect(late.code).toBe(11);
    expectOneLineError(late, /already ended \(COMPLETED\): nothing to pause/);
  }, 90_000);
});

describe('output closed early', () => {
  it('wxamp … | head: a write into the closed pipe ends the CLI quietly with 141 (128 + SIGPIPE), no stack trace', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, pollInterval: '1m', maxPollInterval: '1m', timeout: '5m' });
    let firstLineOut!: () => void;
    const closed = new Promise<void>((resolve) => (firstLineOut = resolve));
    const watching = wxamp(['watch', oa, mp], {}, firstLineOut);
    await closed;
    // The watcher must now write the ending, into a pipe nobody reads.
    await h.links.cancel(oa, mp);
    const run = await watching;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(141);
  });
});

describe('wxamp list and find', () => {
  it("list --json prints every item field under WeChat's name plus statusMeaning; find --oa finds the workflow", async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    expect((await wxamp(['link', oa, mp, ...FAST_FLAGS, '--wait'])).code).toBe(0);

    const list = await wxamp(['list', oa, '--json']);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    for (const field of [
      'status',
      'username',
      'appid',
      'nickname',
      'func_infos',
      'nearby_display_status',
      'released',
      'headimg_url',
      'copy_verify_status',
      'email',
      'statusMeaning',
    ]) {
      expect(items[0]).toHaveProperty(field);
    }
    expect(items[0]).toMatchObject({ appid: mp, status: 1, statusMeaning: 'linked' });
    const table = await wxamp(['list', oa]);
    expect(table.stdout).toMatch(new RegExp(`${String(items[0]?.username)}.*${mp}.*linked`));
    // -o json and --output json are --json; -o text is the default.
    expect((await wxamp(['list', oa, '-o', 'json'])).stdout).toBe(list.stdout);
    expect((await wxamp(['list', oa, '--output', 'json'])).stdout).toBe(list.stdout);
    expect((await wxamp(['list', oa, '-o', 'text'])).stdout).toBe(table.stdout);

    // Visibility trails the workflows by a moment.
    let found: Record<string, unknown>[] = [];
    await waitFor(
      async () => {
        found = JSON.parse((await wxamp(['find', '--json', '--oa', oa])).stdout) as Record<string, unknown>[];
        return found.length > 0 && found[0]?.wxLinkStatus === 'linked';
      },
      'the workflow in find',
      15_000,
    );
    expect(found[0]).toMatchObject({ workflowId: `wxamp-link/${oa}/${mp}`, miniProgramAppId: mp, executionStatus: 'COMPLETED' });
  });
});

describe('mistakes get one line and exit code', () => {
  it('a missing argument exits 2', async () => {
    const run = await wxamp(['link', 'wx1111111111111111']);
    expect(run.code).toBe(2);
    expectOneLineError(run, /missing required argument 'mp'/);
    expect(run.stdout).toBe('');
  });

  it('an invalid value exits 2 naming the field, before connecting anywhere', async () => {
    const run = await wxamp(['link', 'wx1111111111111111', 'wx2222222222222222', '--poll-interval', 'soon'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(2);
    expectOneLineError(run, /^wxamp: --poll-interval: must be a duration/);
  });

  it('messages name the flags the user typed, never the input fields behind them', async () => {
    const run = await wxamp(['unlink', 'wx1111111111111111', 'wx2222222222222222', '--poll-interval', '1m', '--max-poll-interval', '10s'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(run.code).toBe(2);
    expectOneLineError(run, /^wxamp: --max-poll-interval: must not be shorter than --poll-interval$/m);
  });

  it('every command checks its appids before connecting: exit 2 naming the argument, never a connection error', async () => {
    const bad = 'wx/../other';
    const cases: [string[], string][] = [
      [['link', bad, 'wx2222222222222222'], '<oa>'],
      [['unlink', 'wx1111111111111111', bad], '<mp>'],
      [['status', bad, 'wx2222222222222222'], '<oa>'],
      [['watch', 'wx1111111111111111', bad], '<mp>'],
      [['poll-now', 'wx1111111111111111', bad, '--unlink'], '<mp>'],
      [['cancel', bad, 'wx2222222222222222'], '<oa>'],
      [['list', bad], '<oa>'],
      [['find', '--oa', bad], '--oa'],
      [['find', '--mp', "wx2' OR '1'='1"], '--mp'],
    ];
    // Sequential, so that each run's time is its own; connecting anywhere would take CONNECT_TIMEOUT (4s).
    for (const [args, name] of cases) {
      const run = await wxamp(args, { TEMPORAL_ADDRESS: '127.0.0.1:1' });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expectOneLineError(run, new RegExp(`^wxamp: ${name}: must be an appid`));
      expect(run.ms).toBeLessThan(4_000);
    }
  });

  it('find --status accepts only the phases and outcomes: others exit 2 naming --status and listing them', async () => {
    const run = await wxamp(['find', '--status', 'pending'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(2);
    expectOneLineError(
      run,
      /--status .*'pending'.*sending, waiting, done, linked, already_linked, rejected, refused, expired, timed_out, cancelled, unlinked, not_linked/,
    );
  });

  it('-o names an output format: text or json; anything else exits 2 naming --output', async () => {
    const run = await wxamp(['status', 'wx1111111111111111', 'wx2222222222222222', '-o', 'yaml'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(2);
    expectOneLineError(run, /--output .*'yaml'.*text, json/);
    const both = await wxamp(['find', '--json', '--output', 'text'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(both.code).toBe(2);
    expectOneLineError(both, /--json and --output text/);
  });

  it('an unreachable server exits 9 promptly with what to do', async () => {
    const port = await findFreePort();
    const run = await wxamp(['status', 'wx1111111111111111', 'wx2222222222222222', '--address', `127.0.0.1:${port}`]);
    expect(run.code).toBe(9);
    expectOneLineError(run, new RegExp(`cannot reach Temporal at 127\\.0\\.0\\.1:${port} .*TEMPORAL_ADDRESS`));
    expect(run.ms).toBeLessThan(10_000);
  });

  it('a server that answers but is not Temporal (an HTTP server) exits 9 with a hint about the Web UI port', async () => {
    const server = createServer((_request, response) => response.end('<html>Temporal Web UI</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await wxamp(['status', 'wx1111111111111111', 'wx2222222222222222', '--address', `127.0.0.1:${port}`]);
      expect(run.code).toBe(9);
      expectOneLineError(
        run,
        new RegExp(
          `127\\.0\\.0\\.1:${port} .*answered but does not speak Temporal's gRPC: is this the Web UI port \\(8233\\) rather than the frontend \\(7233\\)\\?`,
        ),
      );
    } finally {
      server.close();
    }
  });

  it('a pair without a workflow exits 11 (not found, unlike 9: cannot reach) naming the workflow id', async () => {
    const oa = h.newAccount();
    const run = await wxamp(['status', oa, 'wxnosuchminiprogram']);
    expect(run.code).toBe(11);
    expectOneLineError(run, new RegExp(`no link workflow for ${oa}/wxnosuchminiprogram \\(wxamp-link/${oa}/wxnosuchminiprogram\\)`));
  });
});
