/**
 * The main thread's heap limit. It is fixed when node starts, so only whoever starts the process
 * can set it: `npm run worker` and the project's test and bench helpers pass
 * {@link MAIN_THREAD_HEAP_FLAG} in NODE_OPTIONS, and the start-up log warns when it is missing.
 *
 * Why a limit far above what the thread keeps: V8 lets a heap grow past its live size by a factor
 * that it picks from the heap's limit: up to 4 when the limit is large (2 GiB or more in Node 20's
 * V8; node's default on a machine with memory to spare is 4 GiB), between 1.3 and 2 below that.
 * The main thread runs the activities and the SDK's bridge to its core, and keeps about 35–45 MiB
 * live. Left at the default (4 GiB here), its old space swung between 50 and 181 MiB during the
 * bench's 10,000 starts, and those swings were the worker's RSS peaks. With 1 GiB it stayed
 * between 33 and 65 MiB, the starts nearly as fast (BENCHMARKS.md). 1 GiB is some twenty times
 * what the thread keeps: a limit for V8's heuristic, not one a load should meet.
 *
 * The workflow thread's heap has its own limit (workflow-heap.ts), which this flag does not touch.
 */
import { getHeapStatistics } from 'node:v8';

/** The megabytes of {@link MAIN_THREAD_HEAP_FLAG}. */
export const MAIN_THREAD_HEAP_MB = 1024;

/** The node flag that sizes the main thread's heap: NODE_OPTIONS or node's command line. */
export const MAIN_THREAD_HEAP_FLAG = `--max-old-space-size=${MAIN_THREAD_HEAP_MB}`;

/** The `--max-old-space-size` the process was started with (command line or NODE_OPTIONS), or null. */
export function mainThreadHeapFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const flags = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  // The last one wins, as in node itself.
  return flags.filter((flag) => /^--max[-_]old[-_]space[-_]size(=|$)/.test(flag)).pop() ?? null;
}

/** The start-up log's word on the main thread's heap: its limit, and a warning when node was started without one. */
export function describeMainThreadHeap(flag: string | null, heapSizeLimitBytes = getHeapStatistics().heap_size_limit): string {
  const limitMb = Math.round(heapSizeLimitBytes / 1_048_576);
  if (flag !== null) return `main heap limit ${limitMb} MiB (${flag})`;
  return (
    `main heap limit ${limitMb} MiB (V8's default): under load V8 lets this heap grow to several times what it keeps; ` +
    `start node with NODE_OPTIONS=${MAIN_THREAD_HEAP_FLAG} (docs/deployment.md, "Sizing the sticky cache")`
  );
}
