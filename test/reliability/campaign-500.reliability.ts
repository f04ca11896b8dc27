/**
 * A 500-pair campaign on a real Temporal server with a real HTTP simulator: every pair accounted
 * for, one invitation each, duplicates removed and counted. It runs here rather than in
 * `npm test`, where its 500 links would slow the tests running beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAST, startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { reportRow } from './helpers/report';
import { secondsSince } from './helpers/suite';
import { confirmedPairs } from '../helpers/campaign-pairs';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('a large campaign', () => {
  it('500 pairs end with every pair accounted for, one invitation each, duplicates removed', async () => {
    const started = Date.now();
    const pairs = confirmedPairs(h, 10, 50);
    const invitations = (): number =>
      pairs.reduce(
        (n, p) => n + h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: p.officialAccountAppId, miniProgramAppId: p.miniProgramAppId }),
        0,
      );
    // A long timeout: on a busy 2-core machine 500 links take a few minutes, and none may time out.
    const campaign = await h.links.campaign({
      pairs: [...pairs, ...pairs.slice(0, 7)],
      ...FAST,
      followInterval: '500ms',
      paceRecovery: '1s',
      timeout: '20m',
      maxInFlight: 50,
      startsPerMinute: 60_000,
    });
    const result = await campaign.result();
    const linked = result.counts.byOutcome.linked ?? 0;
    reportRow({
      scenario: '12 a 500-pair campaign',
      runs: pairs.length,
      correct: linked,
      duplicateSends: invitations() - pairs.length,
      apiCalls: h.simulator.countCalls(),
      seconds: secondsSince(started),
      note: `${result.counts.duplicates} duplicates removed; ${result.counts.finished} finished, ${result.counts.skipped} skipped`,
    });
    expect(result.counts).toMatchObject({ total: 500, duplicates: 7, started: 500, joined: 0, finished: 500, skipped: 0, pending: 0, waiting: 0 });
    expect(result.counts.byOutcome).toEqual({ linked: 500 });
    expect(invitations()).toBe(500);
    expect(result.linksQuery).toContain(campaign.campaignId);
    expect((await campaign.state()).phase).toBe('done');
  }, 600_000);
});
