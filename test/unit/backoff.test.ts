import { describe, expect, it } from '@jest/globals';
import { nextPollDelay, retryDelay } from '../../workflows/backoff';
import { WeChatFailureType } from '../../workflows/contract';

const production = { pollIntervalMs: 15_000, maxPollIntervalMs: 300_000 };
const scaled = { pollIntervalMs: 100, maxPollIntervalMs: 1_000 };

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
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(WeChatFailureType.Transient, n, scaled))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('waits at least a minute on a rate limit in production', () => {
    expect(retryDelay(WeChatFailureType.RateLimited, 1, production)).toBe(60_000);
    expect(retryDelay(WeChatFailureType.RateLimited, 2, production)).toBe(120_000);
    expect(retryDelay(WeChatFailureType.RateLimited, 9, production)).toBe(300_000);
  });

  it('waits longer on a rate limit than on a busy server', () => {
    expect(retryDelay(WeChatFailureType.RateLimited, 1, scaled)).toBeGreaterThan(retryDelay(WeChatFailureType.Transient, 1, scaled));
  });

  it('waits an hour or more when the daily quota is used up, whatever maxPollInterval says', () => {
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 1, scaled)).toBe(3_600_000);
    expect(retryDelay(WeChatFailureType.QuotaExhausted, 1, production)).toBe(3_600_000);
  });

  it('never retries a rejected token in a tight loop', () => {
    expect(retryDelay(WeChatFailureType.TokenRejected, 1, production)).toBeGreaterThanOrEqual(60_000);
    // Scaled down, the minute's floor yields to maxPollInterval.
    expect(retryDelay(WeChatFailureType.TokenRejected, 1, scaled)).toBe(1_000);
  });

  it('treats an unknown failure type (an activity time-out) like a transient one', () => {
    expect(retryDelay('ActivityTimeout', 2, scaled)).toBe(200);
  });
});
