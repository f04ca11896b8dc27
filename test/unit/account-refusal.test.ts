import { describe, expect, it } from '@jest/globals';
import { extendStreak, streakSettles, type RefusalStreak } from '../../workflows/watch/account-refusal';
import { DEFAULT_OPERATOR_POLICY } from '../../workflows/support/operator-policy';

const rule = DEFAULT_OPERATOR_POLICY.accountRefusal;
const MINUTE = 60_000;

function streakAt(...minutes: number[]): RefusalStreak {
  let streak: RefusalStreak | null = null;
  for (const minute of minutes) streak = extendStreak(streak, minute * MINUTE);
  if (!streak) throw new Error('no answers');
  return streak;
}

describe('account-level refusals of wxamplinkget', () => {
  it('one answer decides nothing', () => {
    expect(streakSettles(streakAt(0), rule)).toBe(false);
  });

  it('three in a row within a minute decide nothing: the span is 10 minutes', () => {
    expect(streakSettles(streakAt(0, 0.2, 0.5), rule)).toBe(false);
  });

  it('two over an hour decide nothing: it takes three', () => {
    expect(streakSettles(streakAt(0, 60), rule)).toBe(false);
  });

  it('three or more in a row spanning 10 minutes are the verdict', () => {
    expect(streakSettles(streakAt(0, 4, 10), rule)).toBe(true);
    // The back-off of a default link: retries after 1, 2, 4 and 5 minutes.
    expect(streakSettles(streakAt(0, 1, 3, 7), rule)).toBe(false);
    expect(streakSettles(streakAt(0, 1, 3, 7, 12), rule)).toBe(true);
  });
});
