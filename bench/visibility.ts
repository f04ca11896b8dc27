/** Waiting on visibility counts: how the bench tells that many workflows reached a state at once. */
import type { Client } from '@temporalio/client';
import { sleep } from './progress';

/** The query for executions on `taskQueue` whose `WxLinkStatus` is `status`. */
export function statusQuery(taskQueue: string, status: string): string {
  return `TaskQueue = '${taskQueue}' AND WxLinkStatus = '${status}'`;
}

/** Options of {@link waitForCount}. */
export interface WaitForCountOptions {
  /** Give up after this long; resolves with what was reached. */
  timeoutMs: number;
  /** How often to count. @default 100 */
  everyMs?: number;
  /** Called after each count. */
  onCount?: (count: number) => void;
}

/**
 * Counts `query` until it reaches `target` (a number, or a function for a target that may shrink) or time runs out; resolves with the last count and
 * the epoch ms of the count that reached it (or of the last count).
 */
export async function waitForCount(
  client: Client,
  query: string,
  target: number | (() => number),
  options: WaitForCountOptions,
): Promise<{ count: number; atMs: number }> {
  const until = Date.now() + options.timeoutMs;
  for (;;) {
    const { count } = await client.workflow.count(query);
    const atMs = Date.now();
    options.onCount?.(count);
    if (count >= (typeof target === 'number' ? target : target()) || atMs >= until) return { count, atMs };
    await sleep(options.everyMs ?? 100);
  }
}
