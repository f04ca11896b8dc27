/**
 * The main thread's heap limit: found on node's command line or in NODE_OPTIONS, and a start-up
 * line that warns, with the fix, when node was started without one.
 */
import { describe, expect, it } from '@jest/globals';
import { describeMainThreadHeap, MAIN_THREAD_HEAP_FLAG, mainThreadHeapFlag } from '../../worker/main-thread-heap';

describe('mainThreadHeapFlag', () => {
  it('finds the flag on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(mainThreadHeapFlag(['--max-old-space-size=512'], undefined)).toBe('--max-old-space-size=512');
    expect(mainThreadHeapFlag([], '--enable-source-maps --max_old_space_size=256')).toBe('--max_old_space_size=256');
  });

  it('takes the last one, as node does', () => {
    expect(mainThreadHeapFlag(['--max-old-space-size=2048'], '--max-old-space-size=1024')).toBe('--max-old-space-size=1024');
  });

  it('finds nothing when node was started without one', () => {
    expect(mainThreadHeapFlag(['--enable-source-maps'], '--max-semi-space-size=16')).toBeNull();
    expect(mainThreadHeapFlag([], undefined)).toBeNull();
  });
});

describe('describeMainThreadHeap', () => {
  it('names the limit and the flag it came from', () => {
    expect(describeMainThreadHeap('--max-old-space-size=1024', 1_072 * 1_048_576)).toBe('main heap limit 1072 MiB (--max-old-space-size=1024)');
  });

  it("warns when V8's default holds, and says how to set the limit", () => {
    const line = describeMainThreadHeap(null, 4_144 * 1_048_576);
    expect(line).toContain("main heap limit 4144 MiB (V8's default)");
    expect(line).toContain(`NODE_OPTIONS=${MAIN_THREAD_HEAP_FLAG}`);
    expect(MAIN_THREAD_HEAP_FLAG).toBe('--max-old-space-size=1024');
  });
});
