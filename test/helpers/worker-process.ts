/**
 * The worker and the `wxamp` CLI as operators run them: real processes (`node dist/…`), configured
 * only by environment variables (PATH and HOME pass through; nothing else leaks in from the test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_POLICY_ENV } from './test-policy';
import { waitFor } from './wait';

/** The built worker entry point. */
export const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'worker', 'main.js');
/** The built CLI entry point. */
export const CLI_MAIN = join(__dirname, '..', '..', 'dist', 'client', 'cli', 'main.js');

/** A running worker process. */
export interface SpawnedWorker {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves once it logged that it polls its task queue (text or JSON logs alike). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, as an orchestrator stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/worker/main.js` with `env`. */
export function spawnWorker(env: Record<string, string>): SpawnedWorker {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_POLICY_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let running = true;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async ready(timeoutMs = 30_000) {
      await waitFor(() => {
        if (!running) throw new Error(`the worker exited before it was ready:\n${output}`);
        return output.includes('wxamp-link worker: task queue');
      }, 'the worker to poll its task queue', timeoutMs);
    },
    async stop() {
      if (running) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** What a finished CLI run printed. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wxamp …` to its end with `env` (PATH and HOME pass through). */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
