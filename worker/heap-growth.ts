/**
 * How far V8 lets a heap grow past what its last full collection kept, in every thread of the
 * worker process. Left to its own heuristic, V8 grows a busy heap to several times what is live:
 * in the bench's 10,000-link run the main thread kept 36–45 MiB after each full collection while
 * its heap reached 147 MiB, and those peaks were the worker's peaks of RSS. A fixed factor
 * (`--heap-growing-percent`) makes it collect sooner. With 30 % the quick scale phase (1,000 links)
 * peaked at 351 MiB instead of 390 MiB, its links started no slower (50 s instead of 52 s); one
 * run each, BENCHMARKS.md has the full run.
 *
 * V8 reads the flag at every full collection, so setting it at run time reaches the main thread,
 * whose heap exists already, as well as the workflow thread the SDK starts later. An operator's
 * own `--heap-growing-percent` on the command line wins (NODE_OPTIONS cannot carry it).
 */
import { setFlagsFromString } from 'node:v8';

/** The factor's default: a heap may grow to 1.3 × what its last full collection kept. */
export const DEFAULT_HEAP_GROWING_PERCENT = 30;

/** What the process runs with. */
export type HeapGrowth = { kind: 'set'; percent: number } | { kind: 'v8-default' } | { kind: 'operator'; flag: string };

/**
 * Sets V8's heap growing factor to `1 + percent / 100`, unless `percent` is 0 (V8's own heuristic)
 * or the process was started with its own `--heap-growing-percent`.
 */
export function limitHeapGrowth(percent: number, execArgv: readonly string[]): HeapGrowth {
  const flag = execArgv.find((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
  if (flag !== undefined) return { kind: 'operator', flag };
  if (percent === 0) return { kind: 'v8-default' };
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return { kind: 'set', percent };
}

/** The start-up log's word on it. */
export function describeHeapGrowth(growth: HeapGrowth): string {
  if (growth.kind === 'set') return `heaps grow ${growth.percent} % past their live size`;
  if (growth.kind === 'operator') return `heap growth from ${growth.flag}`;
  return "heap growth left to V8's heuristic";
}
