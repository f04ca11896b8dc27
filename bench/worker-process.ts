/**
 * Our worker as operators run it, started by local/worker-process.ts (the one helper of the
 * tests, the reliability scenarios and the bench), with its memory read from /proc: VmHWM is the
 * kernel's own peak resident set, and VmRSS is sampled too in case the kernel does not keep the
 * former.
 */
import { readFileSync } from 'node:fs';
import { startWorkerProcess } from '../local/worker-process';
import type { BenchStack } from './stack';

export { WORKER_MAIN } from '../local/worker-process';

/** A worker process being measured. */
export interface MeasuredWorker {
  pid: number;
  /** Resolves once its `/readyz` answers 200. */
  ready(timeoutMs: number): Promise<void>;
  /** The highest resident set seen so far, in MiB (VmHWM, or the sampled VmRSS if higher). */
  peakRssMb(): number;
  /** Its output so far (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** The environment of our worker on `taskQueue` of the bench's server, against its simulator, tokens from `tokenUrl`. */
export function benchWorkerEnv(stack: BenchStack, taskQueue: string, tokenUrl: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.address,
    TEMPORAL_NAMESPACE: stack.namespace,
    WXAMP_TASK_QUEUE: taskQueue,
    WECHAT_API_BASE_URL: stack.simulator.baseUrl,
    WECHAT_TOKEN_URL: tokenUrl,
    WXAMP_LOG_LEVEL: 'WARN',
  };
}

/** Starts the worker with exactly `env` (plus PATH and HOME) and samples its memory every 250 ms. */
export async function spawnMeasuredWorker(env: Record<string, string>): Promise<MeasuredWorker> {
  // The bench scales time down: its operator floor goes down with it.
  const worker = await startWorkerProcess({ WXAMP_MIN_POLL_INTERVAL: '50ms', ...env }, { keepChars: 20_000 });
  const { pid } = worker;
  let sampledPeakKb = 0;
  let hwmKb = 0;
  const sample = (): void => {
    const status = readStatus(pid);
    if (status === null) return;
    sampledPeakKb = Math.max(sampledPeakKb, status.rssKb);
    hwmKb = Math.max(hwmKb, status.hwmKb);
  };
  const sampler = setInterval(sample, 250);
  void worker.exited.then(() => clearInterval(sampler));

  return {
    pid,
    ready: (timeoutMs) => worker.ready(timeoutMs),
    peakRssMb() {
      sample();
      return Math.max(sampledPeakKb, hwmKb) / 1_024;
    },
    output: () => worker.output(),
    async stop(graceMs = 10_000) {
      sample();
      await worker.stop(graceMs);
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
