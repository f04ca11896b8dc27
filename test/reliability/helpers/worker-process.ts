/**
 * The worker as operators run it: `node dist/worker/main.js`, configured only by environment
 * variables. Scenarios kill it with SIGKILL (no shutdown of any kind) and start it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_POLICY_ENV } from '../../helpers/test-policy';
import { waitFor } from '../../helpers/wait';

const workerMain = join(__dirname, '..', '..', '..', 'dist', 'worker', 'main.js');
const READY_LINE = 'wxamp-link worker: task queue';

/** A running worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far (the last 200 lines). */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Resolves with its exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once it polls its task queue. */
  ready(timeoutMs?: number): Promise<void>;
  /** `kill -9`: no graceful shutdown, running activities are simply lost. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, as an operator stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/worker/main.js` with `env` (and PATH/HOME only, so nothing leaks in from the test). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  if (!existsSync(workerMain)) throw new Error(`${workerMain} is missing: run \`npm run build\` (npm run test:reliability does it first)`);
  const child = spawn(process.execPath, [workerMain], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WXAMP_SHUTDOWN_GRACE: '2s', ...TEST_POLICY_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let sawReady = false;
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    if (text.includes(READY_LINE)) sawReady = true;
    lines.push(...text.split('\n').filter((l) => l !== ''));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the worker process did not start');
  return {
    child,
    pid,
    exited,
    output: () => lines.join('\n'),
    alive: () => running,
    async ready(timeoutMs = 60_000) {
      await waitFor(() => {
        if (!running) throw new Error(`the worker exited before it was ready:\n${lines.join('\n')}`);
        return sawReady;
      }, 'the worker process to poll its task queue', timeoutMs);
    },
    async kill9() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running) child.kill('SIGTERM');
      return (await exited).code;
    },
  };
}
