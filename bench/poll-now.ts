/**
 * `pollNow` latency, measured at the link: signal a waiting link whose entry has not changed,
 * then send the link's own `getLinkState` query (the raw workflow query, not the client
 * library's view, which folds in the account watcher's live count) every few milliseconds until
 * its `polls` grows, i.e. until the link itself has read the new answer. The latency is from
 * sending the signal to the first query that shows it: what a backend that nudges a link after
 * hearing from an admin would wait.
 */
import type { WxampLinkClient } from '../client';
import { getLinkState } from '../workflows/contract';
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
      const handle = client.getHandle(oa, mp);
      const before = (await handle.query(getLinkState)).polls;
      const sentAtMs = Date.now();
      await client.pollNow(oa, mp);
      while (Date.now() - sentAtMs <= params.timeoutMs) {
        if ((await handle.query(getLinkState)).polls > before) return Date.now() - sentAtMs;
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
