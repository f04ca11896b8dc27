/**
 * Which waiters a watcher should probe because it has not heard from them for too long.
 *
 * A waiter that ends says so (`leave`), but one that is terminated cannot: the watcher finds it
 * gone only when an answer to it fails. While the account's entries do not change nobody is
 * answered, so a terminated waiter would keep its watcher polling WeChat for nothing, for as long
 * as nothing changes. Every live waiter re-joins once per watchdog period
 * ({@link WATCHDOG_INTERVALS} × its `maxPollInterval`), and each join earns it an answer; so a
 * waiter not heard from for half a period more than that has most likely gone. The watcher sends it
 * the next answer: a dead one fails the signal and is dropped, a live but slow one is woken once.
 *
 * Pure: imported by workflow code.
 */
import { WATCHDOG_INTERVALS, type Waiter } from './watch-protocol';

/** How long a waiter may stay silent (no join, no answer delivered) before it is probed. */
export function silenceLimitMs(waiter: Pick<Waiter, 'maxPollIntervalMs'>): number {
  return WATCHDOG_INTERVALS * waiter.maxPollIntervalMs * 1.5;
}

/**
 * The workflow ids of the waiters silent for longer than {@link silenceLimitMs}. A waiter with no
 * recorded contact counts from `sinceMs` (the start of the watcher's run).
 */
export function silentWaiters(waiters: Iterable<Waiter>, lastContactMs: ReadonlyMap<string, number>, nowMs: number, sinceMs: number): string[] {
  const silent: string[] = [];
  for (const waiter of waiters) {
    const heardAtMs = lastContactMs.get(waiter.workflowId) ?? sinceMs;
    if (nowMs - heardAtMs > silenceLimitMs(waiter)) silent.push(waiter.workflowId);
  }
  return silent;
}
