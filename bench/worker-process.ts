/**
 * Our worker as operators run it (`node dist/worker/main.js`, configured by environment only), in
 * a process of its own so that its memory can be read from /proc: VmHWM is the kernel's own
 * peak resident set, and VmRSS is sampled too in case the kernel does not keep the former.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './progress';

/** The built worker entry point. */
export const WORKER_MAIN = join(__dirname, '..', 'worker', 'main.js');

/** A worker process being measured. */
export interface MeasuredWorker {
  pid: number;
  /** Resolves once it logged that it polls its task queue. */
  ready(timeoutMs: number): Promise<void>;
  /** The highest resident set seen so far, in MiB (VmHWM, or the sampled VmRSS if higher). */
  peakRssMb(): number;
  /** Its output so far (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the worker with exactly `env` (plus PATH and HOME) and samples its memory every 250 ms. */
export function spawnMeasuredWorker(env: Record<string, string>): MeasuredWorker {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\``);
  const child: ChildProcess = spawn(process.execPath, [WORKER_MAIN], {
    // The bench scales time down: its operator floor goes down with it.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WXAMP_MIN_POLL_INTERVAL: '50ms', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the worker process could not be started');
  let output = '';
  const keep = (chunk: Buffer): void => {
    // Only the tail matters for an error message; a long run must not hoard its logs.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  let sampledPeakKb = 0;
  let hwmKb = 0;
  const sample = (): void => {
    const status = readStatus(pid);
    if (status === null) return;
    sampledPeakKb = Math.max(sampledPeakKb, status.rssKb);
    hwmKb = Math.max(hwmKb, status.hwmKb);
  };
  const sampler = setInterval(sample, 250);
  // The bench may die or be interrupted mid-phase; its worker must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => {
    clearInterval(sampler);
    process.off('exit', killOnExit);
  });

  return {
    pid,
    async ready(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (!output.includes('wxamp-link worker: task queue')) {
        if (!running) throw new Error(`the worker exited before it was ready:\n${output}`);
        if (Date.now() > until) throw new Error(`the worker was not ready within ${timeoutMs} ms:\n${output}`);
        await sleep(50);
      }
    },
    peakRssMb() {
      sample();
      return Math.max(sampledPeakKb, hwmKb) / 1_024;
    },
    output: () => output,
    async stop(graceMs = 10_000) {
      sample();
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** VmRSS and VmHWM of `pid` in KiB, or null once it is gone. */
function readStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}
