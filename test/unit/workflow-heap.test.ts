/**
 * The workflow thread's heap limit: sized from the sticky cache, and never set over an operator's
 * own `--max-old-space-size`.
 */
import { describe, expect, it } from '@jest/globals';
import { defaultWorkflowHeapMb, describeHeapLimit, operatorHeapFlag } from '../../worker/workflow-heap';

describe('defaultWorkflowHeapMb', () => {
  it('grows with the sticky cache from a base for the bundle and the SDK', () => {
    expect(defaultWorkflowHeapMb(0)).toBe(64);
    expect(defaultWorkflowHeapMb(500)).toBe(164);
    expect(defaultWorkflowHeapMb(10_000)).toBe(2_064);
  });
});

describe('operatorHeapFlag', () => {
  it('finds the flag on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(operatorHeapFlag(['--max-old-space-size=512'], undefined)).toBe('--max-old-space-size=512');
    expect(operatorHeapFlag([], '--enable-source-maps --max_old_space_size=256')).toBe('--max_old_space_size=256');
  });

  it('finds nothing when the operator set no heap limit', () => {
    expect(operatorHeapFlag(['--enable-source-maps'], '--max-semi-space-size=16')).toBeNull();
    expect(operatorHeapFlag([], undefined)).toBeNull();
  });
});

describe('describeHeapLimit', () => {
  it('says which limit holds, for the start-up log', () => {
    expect(describeHeapLimit({ kind: 'set', megabytes: 164 })).toBe('workflow heap limit 164 MiB');
    expect(describeHeapLimit({ kind: 'operator', flag: '--max-old-space-size=512' })).toBe('workflow heap limit from --max-old-space-size=512');
  });
});
