import { describe, expect, it } from '@jest/globals';
import { countFailure, msUntilQuotaReset, nextPollDelay, retryDelay, type FailureCounts } from '../../workflows/support/backoff';
import { WeChatFailureType } from '../../workflows/contract';

const production = { pollIntervalMs: 15_000, maxPollIntervalMs: 300_000 };
const scaled = { pollIntervalMs: 100, maxPollIntervalMs: 1_000 };
/** 2026-11-30 12:00 in Beijing (04:00 UTC): twelve hours before the daily quota resets. */
const NOON_BEIJING = Date.parse('2026-11-30T04:00:00Z');
const HOUR = 3_600_000;

describe('poll back-off', () => {
  it('starts at pollInterval and doubles up to maxPollInterval while nothing changes', () => {
    const delays: number[] = [];
    let delay: number | null = null;
    for (let i = 0; i < 8; i++) {
      delay = nextPollDelay(delay, false, production);
      delays.push(delay);
    }
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  });

  it('returns to pollInterval when the status changes', () => {
    expect(nextPollDelay(240_000, true, production)).toBe(15_000);
  });
});

describe('retry back-off per failure type', () => {
  it('retries a busy server from pollInterval, doubling, capped by maxPollInterval', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(WeChatFailureType.Transient, n, scaled, NOON_BEIJING))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('waits at least a minute on a rate limit in production', () => {
    expect(retryDelay(WeChatFailureType.RateLimited, 1, production, NOON_BEIJING)).toBe(60_000);
    expect(retryDelay(WeChatFailureType.RateLimited, 2, production, NOON_BEIJING)).toBe(120_000);
    expect(retryDelay(WeChatFailureType.RateLimited, 9, production, NOON_BEIJING)).toBe(300_000);
  });

  it('waits longer on a rate limit than on a busy server', () => {
    expect(retryDelay(WeChatFailureType.RateLimited, 1, scaled, NOON_BEIJING)).toBeGreaterThan(
      retryDelay(WeChatFailureType.Transient, 1, scaled, NOON_BEIJING),
    );
  });

  it('waits an hour or more when the daily quota is used up, whatever maxPollInterval says', () => {
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 1, scaled, NOON_BEIJING)).toBe(3_600_000);
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 1, production, NOON_BEIJING)).toBe(3_600_000);
  });

  it('never retries a rejected token in a tight loop', () => {
    expect(retryDelay(WeChatFailureType.TokenRejected, 1, production, NOON_BEIJING)).toBeGreaterThanOrEqual(60_000);
    // Scaled down, the minute's floor yields to maxPollInterval.
    expect(retryDelay(WeChatFailureType.TokenRejected, 1, scaled, NOON_BEIJING)).toBe(1_000);
  });

  it('treats an unknown failure type (an activity time-out) like a transient one', () => {
    expect(retryDelay('ActivityTimeout', 2, scaled, NOON_BEIJING)).toBe(200);
  });

  it('never waits past the next daily quota reset (00:00 Beijing time) on a spent quota', () => {
    // 23:30 in Beijing: the quota comes back in 30 minutes, sooner than the hour's floor.
    const halfPastEleven = Date.parse('2026-11-30T15:30:00Z');
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 1, production, halfPastEleven)).toBe(30 * 60_000);
    // Many quota failures in a row at noon: doubling stops at the reset, twelve hours away.
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 20, production, NOON_BEIJING)).toBe(12 * HOUR);
  });
});

describe('quota reset and failure counts', () => {
  it('places the reset at the next midnight in Beijing', () => {
    expect(msUntilQuotaReset(Date.parse('2026-11-30T15:59:00Z'))).toBe(60_000);
    expect(msUntilQuotaReset(Date.parse('2026-11-30T16:00:00Z'))).toBe(24 * HOUR);
    expect(msUntilQuotaReset(NOON_BEIJING)).toBe(12 * HOUR);
  });

  it('counts failures per type: a quota failure after many network errors waits as a first one', () => {
    let counts: FailureCounts = {};
    for (let i = 0; i < 12; i++) counts = countFailure(counts, WeChatFailureType.Transient).counts;
    const quota = countFailure(counts, WeChatFailureType.QuotaExhausted);
    expect(quota.attempt).toBe(1);
    expect(retryDelay(WeChatFailureType.QuotaExhausted, quota.attempt, production, NOON_BEIJING)).toBe(HOUR);
    expect(countFailure(quota.counts, WeChatFailureType.Transient).attempt).toBe(13);
  });
});
