/**
 * The worker and the `wxamp` CLI as operators run them: real processes (`node dist/…`), configured
 * only by environment variables (PATH and HOME pass through; nothing else leaks in from the test).
 * Worker processes are started by local/worker-process.ts, the one helper of the tests, the
 * reliability scenarios and the bench; here they get the test workers' operator policy.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkerProcess, type WorkerProcess } from '../../local/worker-process';
import { TEST_POLICY_ENV } from './test-policy';

export { WORKER_MAIN } from '../../local/worker-process';
/** The built CLI entry point. */
export const CLI_MAIN = join(__dirname, '..', '..', 'dist', 'client', 'cli', 'main.js');

/** A running worker process (see local/worker-process.ts). */
export type SpawnedWorker = WorkerProcess;

/**
 * Starts `node dist/worker/main.js` with the test policy and `env`; its `ready()` asks `/readyz`
 * (on a free port unless `env` sets `WXAMP_HEALTH_ADDRESS`).
 */
export function spawnWorker(env: Record<string, string>): Promise<SpawnedWorker> {
  return startWorkerProcess({ ...TEST_POLICY_ENV, ...env });
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
