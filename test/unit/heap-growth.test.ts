/**
 * The heap growing factor of the worker process: the operator's own flag wins, 0 leaves it to V8,
 * and the start-up line says which. (Setting it is not tested here: it would change the GC of the
 * test process itself; the bench measures its effect.)
 */
import { describe, expect, it } from '@jest/globals';
import { describeHeapGrowth, limitHeapGrowth } from '../../worker/heap-growth';

describe('limitHeapGrowth', () => {
  it.each(['--heap-growing-percent=50', '--heap_growing_percent=50'])('leaves the factor to an operator who started node with %s', (flag) => {
    const growth = limitHeapGrowth(30, ['--enable-source-maps', flag]);
    expect(growth).toEqual({ kind: 'operator', flag });
    expect(describeHeapGrowth(growth)).toBe(`heap growth from ${flag}`);
  });

  it("leaves it to V8's heuristic at 0", () => {
    const growth = limitHeapGrowth(0, []);
    expect(growth).toEqual({ kind: 'v8-default' });
    expect(describeHeapGrowth(growth)).toBe("heap growth left to V8's heuristic");
  });

  it('says what it set', () => {
    expect(describeHeapGrowth({ kind: 'set', percent: 30 })).toBe('heaps grow 30 % past their live size');
  });
});
