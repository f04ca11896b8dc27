import { describe, expect, it } from '@jest/globals';
import { accountIntervals, afterAnswer, afterFailure, afterJoin, emptySchedule, entriesKey } from '../../workflows/watch/watch-pace';
import type { Waiter } from '../../workflows/watch/watch-protocol';
import { WeChatFailureType } from '../../workflows/contract';

const waiter = (workflowId: string, pollIntervalMs: number, maxPollIntervalMs: number): Waiter => ({
  workflowId,
  pollIntervalMs,
  maxPollIntervalMs,
  maxHistoryEvents: 4_000,
});
const production = { pollIntervalMs: 15_000, maxPollIntervalMs: 300_000 };
const pending = [{ username: 'gh_a', appid: 'wxa', status: 12 }];

describe('an account watcher schedule', () => {
  it('follows the most demanding waiter: the smallest interval and the smallest maximum', () => {
    expect(accountIntervals([])).toBeNull();
    expect(accountIntervals([waiter('a', 15_000, 300_000), waiter('b', 30_000, 60_000)])).toEqual({ pollIntervalMs: 15_000, maxPollIntervalMs: 60_000 });
  });

  it('polls one interval after the first waiter joins', () => {
    expect(afterJoin(emptySchedule(), waiter('a', 15_000, 300_000), 1_000).nextPollAtMs).toBe(16_000);
  });

  it('backs off while the entries stay the same, doubling up to the maximum', () => {
    let schedule = emptySchedule();
    const delays: number[] = [];
    for (let now = 0; delays.length < 7; now += 1) {
      schedule = afterAnswer(schedule, pending, production, now);
      delays.push(schedule.delayMs ?? -1);
    }
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  it('goes back to pollInterval when an entry changes, and when a new waiter joins', () => {
    let schedule = afterAnswer(afterAnswer(afterAnswer(emptySchedule(), pending, production, 0), pending, production, 0), pending, production, 0);
    expect(schedule.delayMs).toBe(60_000);
    const confirmed = afterAnswer(schedule, [{ username: 'gh_a', appid: 'wxa', status: 2 }], production, 100_000);
    expect(confirmed).toMatchObject({ delayMs: 15_000, nextPollAtMs: 115_000 });

    schedule = afterAnswer(schedule, pending, production, 100_000); // next poll at 220 000
    const joined = afterJoin(schedule, waiter('b', 15_000, 300_000), 110_000);
    expect(joined.nextPollAtMs).toBe(125_000);
    expect(afterAnswer(joined, pending, production, 125_000).delayMs).toBe(15_000);
  });

  it('never moves a poll later when a waiter joins', () => {
    const soon = { ...emptySchedule(), nextPollAtMs: 5_000 };
    expect(afterJoin(soon, waiter('b', 15_000, 300_000), 0).nextPollAtMs).toBe(5_000);
  });

  it('waits for the failure type: a rate limit slows the account, a spent quota waits an hour', () => {
    const limited = afterFailure(emptySchedule(), WeChatFailureType.RateLimited, production, 0);
    expect(limited).toMatchObject({ consecutiveFailures: 1, nextPollAtMs: 60_000 });
    expect(afterFailure(limited, WeChatFailureType.RateLimited, production, 0).nextPollAtMs).toBe(120_000);
    expect(afterFailure(emptySchedule(), WeChatFailureType.QuotaExhausted, production, 0).nextPollAtMs).toBe(3_600_000);
    expect(afterAnswer(limited, pending, production, 0).consecutiveFailures).toBe(0);
  });

  it('tells entries apart by appid, username and status, in any order', () => {
    const a = { username: 'gh_a', status: 12 };
    const b = { username: 'gh_b', appid: 'wxb', status: 1 };
    expect(entriesKey([a, b])).toBe(entriesKey([b, a]));
    expect(entriesKey([a, b])).not.toBe(entriesKey([{ ...a, status: 2 }, b]));
    expect(entriesKey([a])).not.toBe(entriesKey([a, b]));
  });
});
