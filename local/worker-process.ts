/**
 * The worker as operators run it, `node dist/worker/main.js` configured only by environment
 * variables, in a process of its own: the one way the tests, the reliability scenarios and the
 * bench start one. It is ready when its `/readyz` answers 200 (the worker polls both queues and
 * the server answers): the helper gives it a health endpoint on a free port unless the caller
 * names one with `WXAMP_HEALTH_ADDRESS`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { MAIN_THREAD_HEAP_FLAG } from '../worker/main-thread-heap';
import { findFreePort } from './free-port';

/** The project's root: this file runs from local/ (ts-jest) or dist/local/ (the build). */
const ROOT = basename(join(__dirname, '..')) === 'dist' ? join(__dirname, '..', '..') : join(__dirname, '..');
/** The built worker entry point. */
export const WORKER_MAIN = join(ROOT, 'dist', 'worker', 'main.js');

/**
 * What docs/deployment.md ("Sizing the sticky cache") asks of the worker's environment besides its
 * own variables. Both are read before any code of ours runs, so only whoever starts the process can
 * set them; a value in `env` wins (a NODE_OPTIONS of the caller's replaces this one).
 * - `MALLOC_ARENA_MAX=2`: glibc gives every thread that allocates its own malloc arena (up to 8 per
 *   core), and the SDK's core runs many threads: two arenas took the bench's worker from 494 to
 *   382 MiB peak, the same 1,000 links.
 * - the main thread's heap limit (worker/main-thread-heap.ts): V8 then grows that heap less far
 *   past what it keeps.
 */
export const RECOMMENDED_WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', NODE_OPTIONS: MAIN_THREAD_HEAP_FLAG };

/** A running worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://host:port` of its health endpoint, or undefined when `WXAMP_HEALTH_ADDRESS` was set to nothing usable. */
  readonly healthUrl: string | undefined;
  /** What it printed so far, stdout and stderr interleaved (the last `keepChars`). */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Resolves with its exit code once it exited (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Resolves once `/readyz` answers 200; rejects when it exits first or `timeoutMs` passes. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, as an orchestrator stops it (then SIGKILL after `killAfterMs`, if given); resolves with the exit code. */
  stop(killAfterMs?: number): Promise<number | null>;
  /** `kill -9`: no graceful shutdown, running activities are simply lost. Resolves once it is gone. */
  kill9(): Promise<void>;
}

/** Options of {@link startWorkerProcess}. */
export interface WorkerProcessOptions {
  /** How much output to keep, in characters (a long run must not hoard its logs). @default 1_000_000 */
  keepChars?: number;
}

/**
 * Starts `node dist/worker/main.js` with `env` and PATH and HOME only (nothing else leaks in), plus
 * {@link RECOMMENDED_WORKER_ENV} and `WXAMP_HEALTH_ADDRESS` on a free port of 127.0.0.1 unless
 * `env` has them.
 */
export async function startWorkerProcess(env: Record<string, string>, options: WorkerProcessOptions = {}): Promise<WorkerProcess> {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const healthAddress = 'WXAMP_HEALTH_ADDRESS' in env ? env.WXAMP_HEALTH_ADDRESS : `127.0.0.1:${await findFreePort()}`;
  const healthUrl =
    healthAddress !== undefined && /^[^\s/]+:\d+$/.test(healthAddress.trim())
      ? `http://${healthAddress.trim().replace(/^0\.0\.0\.0:/, '127.0.0.1:')}`
      : undefined;
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...RECOMMENDED_WORKER_ENV,
      ...env,
      ...(healthAddress !== undefined && { WXAMP_HEALTH_ADDRESS: healthAddress }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the worker process could not be started');
  const keepChars = options.keepChars ?? 1_000_000;
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-keepChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  // The caller may die or be interrupted; its worker must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  return {
    child,
    pid,
    healthUrl,
    exited,
    output: () => output,
    alive: () => running,
    async ready(timeoutMs = 60_000) {
      if (healthUrl === undefined) throw new Error('the worker has no health endpoint to ask whether it is ready (WXAMP_HEALTH_ADDRESS)');
      const until = Date.now() + timeoutMs;
      while ((await readyzStatus(healthUrl)) !== 200) {
        if (!running) throw new Error(`the worker exited before it was ready:\n${output}`);
        if (Date.now() > until) throw new Error(`the worker was not ready (${healthUrl}/readyz) within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(killAfterMs) {
      if (running) child.kill('SIGTERM');
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The status `/readyz` answers, or 0 while nothing listens. */
function readyzStatus(healthUrl: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${healthUrl}/readyz`, { timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}
