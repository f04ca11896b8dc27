/**
 * The campaign benchmark's pace figures: the busiest 60 seconds of a list of times, and the most
 * spans open at once.
 */
import { describe, expect, it } from '@jest/globals';
import { busiestMinute, mostAtOnce } from '../../bench/campaign-bench';

describe('busiestMinute', () => {
  it('counts the most times within any 60 s, a time 60 s after another falling outside its minute', () => {
    expect(busiestMinute([])).toBe(0);
    expect(busiestMinute([0, 10_000, 59_999, 60_000, 61_000])).toBe(4);
    expect(busiestMinute([0, 60_000, 120_000])).toBe(1);
  });
});

describe('mostAtOnce', () => {
  it('counts overlapping spans; one ending as another starts is not counted with it', () => {
    expect(mostAtOnce([])).toBe(0);
    expect(
      mostAtOnce([
        { startMs: 0, closeMs: 10 },
        { startMs: 5, closeMs: 20 },
        { startMs: 10, closeMs: 30 },
        { startMs: 12, closeMs: 13 },
      ]),
    ).toBe(3);
  });
});
