/**
 * `pollNow` latency: signal a waiting link whose entry has not changed, then query
 * `getLinkState` every few milliseconds until its `polls` count grows. The latency is from
 * sending the signal to the first query that shows the extra poll: what a backend that nudges a
 * link after hearing from an admin would wait.
 */
import type { WxampLinkClient } from '../client';
import { mapConcurrent } from './concurrency';
import type { PollNowParams } from './params';
import type { PlannedLink } from './population';
import { sleep } from './progress';

/** What {@link measurePollNow} saw. */
export interface PollNowResult {
  latenciesMs: number[];
  /**
   * Links whose `polls` did not grow within the time-out, or whose query failed (a worker too
   * busy to answer); each counts at the time-out in `latenciesMs`.
   */
  timeouts: number;
}

/** Nudges each of `links` once (a few at a time) and measures until its state shows the poll. */
export async function measurePollNow(client: WxampLinkClient, links: readonly PlannedLink[], params: PollNowParams): Promise<PollNowResult> {
  let timeouts = 0;
  const latenciesMs = await mapConcurrent(links, params.concurrency, async (link) => {
    const { officialAccountAppId: oa, miniProgramAppId: mp } = link;
    try {
      const before = (await client.getState(oa, mp)).polls;
      const sentAtMs = Date.now();
      await client.pollNow(oa, mp);
      while (Date.now() - sentAtMs <= params.timeoutMs) {
        if ((await client.getState(oa, mp)).polls > before) return Date.now() - sentAtMs;
        await sleep(params.queryEveryMs);
      }
    } catch {
      // A query the worker could not answer in time: as bad as no poll at all.
    }
    timeouts += 1;
    return params.timeoutMs;
  });
  return { latenciesMs, timeouts };
}
