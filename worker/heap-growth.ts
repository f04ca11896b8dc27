/**
 * How far V8 lets a heap grow past what its last full collection kept, in every thread of the
 * worker process: memory traded for CPU, so the operator's choice, off by default.
 *
 * Left to its own heuristic, V8 grows a busy heap to several times what is live: in a traced
 * 10,000-link bench run the main thread kept 36–45 MiB after each full collection while its heap
 * reached 157 MiB, and those peaks were the worker's peaks of RSS. A fixed factor
 * (`--heap-growing-percent`) makes it collect sooner. With 30 %, 10,000 links peaked at 367 MiB
 * instead of 458–492 MiB, but they reached `waiting` at 11.5 a second instead of 16.7, the polls'
 * p99 lag went from 4.6 s to 58 s (the main thread, which runs the activities, kept collecting),
 * and late in the run sticky workflow tasks timed out while the worker caught up (BENCHMARKS.md).
 *
 * V8 reads the flag at every full collection, so setting it at run time reaches the main thread,
 * whose heap exists already, as well as the workflow thread the SDK starts later. An operator's
 * own `--heap-growing-percent` on the command line wins (NODE_OPTIONS cannot carry it).
 */
import { setFlagsFromString } from 'node:v8';

/** The default: V8's own heuristic (0). 30 is the value measured for a worker short of memory. */
export const DEFAULT_HEAP_GROWING_PERCENT = 0;

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
