/**
 * The worker's allocator (local/worker-allocator.ts): jemalloc when the machine has it, else glibc
 * with two arenas, and the caller's environment always wins.
 */
import { describe, expect, it } from '@jest/globals';
import { describeWorkerAllocator, findJemalloc, JEMALLOC_CONF, JEMALLOC_PATHS, workerAllocatorEnv } from '../../local/worker-allocator';

describe('the worker allocator', () => {
  it('finds the first installed jemalloc on Linux, and none elsewhere', () => {
    const installed = new Set([JEMALLOC_PATHS[2], JEMALLOC_PATHS[4]]);
    expect(findJemalloc((path) => installed.has(path), 'linux')).toBe(JEMALLOC_PATHS[2]);
    expect(findJemalloc(() => false, 'linux')).toBeNull();
    expect(findJemalloc(() => true, 'darwin')).toBeNull();
  });

  it('preloads jemalloc with its settings when found, and keeps two glibc arenas either way', () => {
    expect(workerAllocatorEnv('/usr/lib/libjemalloc.so.2')).toEqual({
      MALLOC_ARENA_MAX: '2',
      LD_PRELOAD: '/usr/lib/libjemalloc.so.2',
      MALLOC_CONF: JEMALLOC_CONF,
    });
    expect(workerAllocatorEnv(null)).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it('says which allocator the worker gets, and how to choose the other', () => {
    expect(describeWorkerAllocator({ ...workerAllocatorEnv('/usr/lib/libjemalloc.so.2') })).toMatch(
      /^worker allocator: jemalloc \(\/usr\/lib\/libjemalloc\.so\.2\); LD_PRELOAD= /,
    );
    expect(describeWorkerAllocator({ ...workerAllocatorEnv('/usr/lib/libjemalloc.so.2'), LD_PRELOAD: '' })).toBe('worker allocator: glibc, MALLOC_ARENA_MAX=2');
    expect(describeWorkerAllocator(workerAllocatorEnv(null))).toMatch(/glibc, MALLOC_ARENA_MAX=2; install libjemalloc2/);
  });
});
