/**
 * The workflow thread's heap limit. The SDK runs workflow code in a worker thread whose V8 heap,
 * left alone, may grow to the machine's default (about 4 GiB here) before V8 bothers to collect the
 * garbage that evicted and replayed workflows leave behind. Measured with 1,000 waiting links and a
 * sticky cache of 500: 680 MiB peak RSS unlimited, 473 MiB with a 160 MiB limit, the same links
 * and polls. What the cached workflows really hold is far smaller than what V8 lets lie around.
 *
 * The SDK takes no resource limits for that thread, but V8 reads its heap flags when an isolate is
 * created: set before `Worker.create`, the flag shapes the workflow thread's heap only (the main
 * thread's heap exists already). So node's own `--max-old-space-size` (on the command line or in
 * NODE_OPTIONS) sizes the main thread alone (main-thread-heap.ts), and `WXAMP_WORKFLOW_HEAP_MB`
 * this one.
 */
import { setFlagsFromString } from 'node:v8';

/** Heap the workflow thread needs besides its cached workflows: the bundle and the SDK (18 MiB live), headroom. */
const BASE_HEAP_MB = 64;
/**
 * Heap per cached workflow, with room to spare. V8's own trace (`--trace-gc`, 1,000 waiting links,
 * a cache of 500) showed the workflow thread at 74–76 MiB live after each full collection, about
 * 0.12 MiB per cached link or watcher, while the heap grew to 300 MiB between collections.
 * Running out kills the workflow thread (and the worker with it), so the limit leaves the live
 * heap more than half again as much room.
 */
const HEAP_MB_PER_CACHED_WORKFLOW = 0.2;

/** The default limit for a sticky cache of `maxCachedWorkflows`: 114 MiB for the default 250 (164 MiB for 500). */
export function defaultWorkflowHeapMb(maxCachedWorkflows: number): number {
  return Math.ceil(BASE_HEAP_MB + HEAP_MB_PER_CACHED_WORKFLOW * maxCachedWorkflows);
}

/**
 * Limits the heap of the workflow thread the SDK is about to start to `megabytes`. Call it once,
 * before `Worker.create`: it does nothing to threads that already run.
 */
export function limitWorkflowThreadHeap(megabytes: number): void {
  setFlagsFromString(`--max-old-space-size=${megabytes}`);
}

/** The start-up log's word on the workflow thread's heap. */
export function describeWorkflowHeapLimit(megabytes: number): string {
  return `workflow heap limit ${megabytes} MiB`;
}
