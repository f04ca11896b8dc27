/**
 * Which waiters a watcher probes (workflows/watch/silent-waiters.ts): those it has not heard from
 * for 1.5 watchdog periods, counted from their last contact or, without one, from the run's start.
 */
import { describe, expect, it } from '@jest/globals';
import type { Waiter } from '../../common/account-watch';
import { silenceLimitMs, silentWaiters } from '../../workflows/watch/silent-waiters';

const waiter = (workflowId: string, maxPollIntervalMs = 300_000): Waiter => ({
  workflowId,
  pollIntervalMs: 15_000,
  maxPollIntervalMs,
  maxHistoryEvents: 10_000,
});

describe('silentWaiters', () => {
  it('allows a waiter one and a half watchdog periods of silence: 90 minutes at the default 5-minute maxPollInterval', () => {
    expect(silenceLimitMs({ maxPollIntervalMs: 300_000 })).toBe(90 * 60_000);
  });

  it('probes only the waiters silent for longer than their own limit', () => {
    const contact = new Map([
      ['recent', 1_000_000],
      ['silent', 0],
      ['fast-silent', 900_000],
    ]);
    const waiters = [waiter('recent'), waiter('silent'), waiter('fast-silent', 1_000)];
    // 'fast-silent' has a limit of 18 s and was last heard 100 s ago; 'silent' 1,000 s ago (limit 5,400 s).
    expect(silentWaiters(waiters, contact, 1_000_000, 0)).toEqual(['fast-silent']);
    expect(silentWaiters(waiters, contact, 5_400_001, 0)).toEqual(['silent', 'fast-silent']);
  });

  it('counts a waiter without a recorded contact from the start of the run', () => {
    const waiters = [waiter('carried', 1_000)];
    expect(silentWaiters(waiters, new Map(), 10_000 + 18_000, 10_000)).toEqual([]);
    expect(silentWaiters(waiters, new Map(), 10_000 + 18_001, 10_000)).toEqual(['carried']);
  });

  it('does not probe a waiter heard from exactly the limit ago', () => {
    expect(silentWaiters([waiter('edge', 1_000)], new Map([['edge', 0]]), 18_000, 0)).toEqual([]);
  });
});
