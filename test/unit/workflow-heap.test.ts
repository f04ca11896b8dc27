/** The workflow thread's heap limit: sized from the sticky cache, and said in the start-up log. */
import { describe, expect, it } from '@jest/globals';
import { defaultWorkflowHeapMb, describeWorkflowHeapLimit } from '../../worker/workflow-heap';

describe('defaultWorkflowHeapMb', () => {
  it('grows with the sticky cache from a base for the bundle and the SDK', () => {
    expect(defaultWorkflowHeapMb(0)).toBe(64);
    expect(defaultWorkflowHeapMb(500)).toBe(164);
    expect(defaultWorkflowHeapMb(10_000)).toBe(2_064);
  });
});

describe('describeWorkflowHeapLimit', () => {
  it('names the limit for the start-up log', () => {
    expect(describeWorkflowHeapLimit(164)).toBe('workflow heap limit 164 MiB');
  });
});
