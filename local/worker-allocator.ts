/**
 * Which `malloc` the worker process gets, set in its environment by whoever starts it (the C
 * library reads these at exec, so the worker cannot choose for itself).
 *
 * jemalloc when the machine has it: in the bench's 10,000-link scale phase it held the worker's
 * peak RSS about 100 MiB under glibc's (443.8 against 545.8 MiB, back to back), because it hands
 * freed pages back within a second and does not split the SDK core's many threads over arenas.
 * Otherwise glibc with two arenas (`MALLOC_ARENA_MAX=2`: 494 → 382 MiB at 1,000 links). Both are
 * measured in BENCHMARKS.md and explained in docs/deployment.md ("Sizing the sticky cache").
 */
import { existsSync } from 'node:fs';

/** Where distributions install jemalloc 5's shared library (Debian/Ubuntu's `libjemalloc2` first). */
export const JEMALLOC_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
  '/usr/local/lib/libjemalloc.so.2',
];

/**
 * jemalloc's settings for the worker: a background thread purges unused pages, dirty pages go back
 * to the kernel after a second and are not kept as "muzzy" ones, so RSS follows the live memory.
 */
export const JEMALLOC_CONF = 'background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0';

/** The first of {@link JEMALLOC_PATHS} that exists (only on Linux), or null. */
export function findJemalloc(exists: (path: string) => boolean = existsSync, platform: string = process.platform): string | null {
  if (platform !== 'linux') return null;
  return JEMALLOC_PATHS.find((path) => exists(path)) ?? null;
}

/**
 * The allocator part of the worker's environment: two glibc arenas always (harmless under
 * jemalloc), and jemalloc preloaded when {@link findJemalloc} finds it. The caller's own
 * environment goes on top: `LD_PRELOAD=` (empty) keeps glibc's allocator.
 */
export function workerAllocatorEnv(jemallocPath: string | null = findJemalloc()): Record<string, string> {
  return {
    MALLOC_ARENA_MAX: '2',
    ...(jemallocPath !== null && { LD_PRELOAD: jemallocPath, MALLOC_CONF: JEMALLOC_CONF }),
  };
}

/** One line for the worker's starter to print: which allocator the worker runs with, and how to change it. */
export function describeWorkerAllocator(env: Readonly<Record<string, string | undefined>>): string {
  const preload = env.LD_PRELOAD ?? '';
  return preload.includes('jemalloc')
    ? `worker allocator: jemalloc (${preload}); LD_PRELOAD= (empty) runs it on glibc's instead`
    : `worker allocator: glibc, MALLOC_ARENA_MAX=${env.MALLOC_ARENA_MAX ?? 'unset'}${env.LD_PRELOAD === undefined ? '; install libjemalloc2 for a smaller footprint (docs/deployment.md, "Sizing the sticky cache")' : ''}`;
}
