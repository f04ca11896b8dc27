/**
 * `linkCampaign` on a real Temporal server with a real HTTP simulator: pause and resume, cancel, a spent quota that stops the starts, and a second start that joins.
 * Each test asserts the counts, the outcomes and the invitations WeChat received. The 500-pair
 * campaign runs in the reliability suite (test/reliability/campaign-500.reliability.ts), one
 * scenario at a time, so that its load does not slow the tests running beside it here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CampaignPair } from '../workflows/campaign/campaign-contract';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { sleep, waitFor } from './helpers/wait';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { confirmedPairs } from './helpers/campaign-pairs';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

/** Campaign pace and looks scaled down like the links' intervals. */
const QUICK = { ...FAST, followInterval: '500ms', paceRecovery: '1s' } as const;

const invitations = (pairs: CampaignPair[]) =>
  pairs.reduce((n, p) => n + h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: p.officialAccountAppId, miniProgramAppId: p.miniProgramAppId }), 0);

describe('linkCampaign', () => {
  it('pause stops the starts, resume goes on; the links started meanwhile finish', async () => {
    const pairs = confirmedPairs(h, 2, 10);
    // One start a second: batches of 5 (the 5-second window), so a pause comes between batches.
    const campaign = await h.links.campaign({ pairs, ...QUICK, timeout: '2m', maxInFlight: 20, startsPerMinute: 60 });
    await waitFor(async () => (await campaign.state()).counts.started >= 2, 'the first starts');
    await campaign.pause();
    await waitFor(async () => (await campaign.state()).phase === 'paused', 'paused');
    await sleep(5_500); // a batch under way when paused ends within its window
    const paused = await campaign.state();
    await sleep(1_000);
    const later = await campaign.state();
    expect(later.counts.started).toBe(paused.counts.started);
    expect(later.counts.pending).toBeGreaterThan(0);
    expect(later.eta).toBeNull();
    await campaign.resume();
    const result = await campaign.result();
    expect(result.counts).toMatchObject({ total: 20, started: 20, finished: 20 });
    expect(result.counts.byOutcome).toEqual({ linked: 20 });
    expect(invitations(pairs)).toBe(20);
  }, 120_000);

  it('cancel skips the pairs not started and, with onCancel cancel-links, cancels the links started', async () => {
    const oa = h.newAccount();
    const pairs = Array.from({ length: 30 }, () => ({ officialAccountAppId: oa, miniProgramAppId: h.newMiniProgram() }));
    // No script: the admins never act, so the links wait until cancelled.
    const campaign = await h.links.campaign({ pairs, ...QUICK, maxInFlight: 5, startsPerMinute: 6_000, onCancel: 'cancel-links' });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 5, 'five invitations sent');
    await campaign.cancel();
    const result = await campaign.result();

    expect(result.cancelled).toBe(true);
    expect(result.counts).toMatchObject({ total: 30, started: 5, finished: 5, skipped: 25 });
    expect(result.counts.byOutcome).toEqual({ cancelled: 5, skipped: 25 });
    expect(result.skipped).toEqual([{ reason: 'campaign cancelled', pairs: expect.any(Array) }]);
    expect(result.skipped[0]?.pairs).toHaveLength(25);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(5);
  }, 60_000);

  it('89007 on a send stops the starts for that mini program; the others go on', async () => {
    const quotaSpent = h.newMiniProgram();
    const fine = h.newMiniProgram();
    h.simulator.configureMiniProgram(quotaSpent, { linkErrcode: 89007 });
    const accounts = Array.from({ length: 20 }, () => h.newAccount());
    for (const oa of accounts) h.simulator.scriptLink(oa, fine, AUTO_CONFIRM_SCRIPT);
    const pairs = [
      ...accounts.map((oa) => ({ officialAccountAppId: oa, miniProgramAppId: quotaSpent })),
      ...accounts.map((oa) => ({ officialAccountAppId: oa, miniProgramAppId: fine })),
    ];
    const campaign = await h.links.campaign({ pairs, ...QUICK, maxInFlight: 2, startsPerMinute: 60_000 });
    const result = await campaign.result();

    const sentForSpent = h.simulator.countCalls({ endpoint: 'wxamplink', miniProgramAppId: quotaSpent });
    expect(sentForSpent).toBeGreaterThanOrEqual(1);
    expect(sentForSpent).toBeLessThanOrEqual(2); // only the links already in flight
    expect(result.counts.byOutcome).toMatchObject({ linked: 20, refused: sentForSpent, skipped: 20 - sentForSpent });
    expect(result.counts.byErrcode).toEqual({ 89007: sentForSpent });
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.reason).toMatch(/^89007: .*monthly link quota/);
    expect(result.skipped[0]?.pairs.every(([, mp]) => mp === quotaSpent)).toBe(true);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', miniProgramAppId: fine })).toBe(20);
    const state = await campaign.state();
    expect(state.blocked).toEqual([{ appId: quotaSpent, kind: 'miniProgram', errcode: 89007 }]);
    expect(state.recentProblems.at(-1)).toMatchObject({ miniProgramAppId: quotaSpent, outcome: 'refused', errcode: 89007 });
  }, 60_000);

  it('a campaign started twice with the same id joins; a link already running is joined, never re-sent', async () => {
    const pairs = confirmedPairs(h, 1, 6);
    const [running] = pairs;
    if (!running) throw new Error('no pair');
    // A link of the first pair is already running (started by someone else, waiting for a poll).
    h.simulator.scriptLink(running.officialAccountAppId, running.miniProgramAppId, [{ afterMs: 1_500, then: 1 }]);
    const link = await h.links.link({ ...running, ...FAST });
    const input = { pairs, ...QUICK, maxInFlight: 10, startsPerMinute: 60_000 };
    const first = await h.links.campaign(input, { campaignId: `campaign-join-${running.miniProgramAppId}` });
    const second = await h.links.campaign(input, { campaignId: first.campaignId });
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    expect(second.workflow.workflowId).toBe(first.workflow.workflowId);

    const result = await second.result();
    expect(result.counts).toMatchObject({ total: 6, started: 5, joined: 1, finished: 6 });
    expect(result.counts.byOutcome).toEqual({ linked: 6 });
    expect(result.joined).toEqual([[running.officialAccountAppId, running.miniProgramAppId]]);
    expect((await link.result()).outcome).toBe('linked');
    expect(invitations(pairs)).toBe(6);
  }, 60_000);

  it.each([
    // A rate limit: that link retries after its back-off (400 ms here) and links.
    [45011, 'rate limit', 300, { linked: 12 }, [45011, 0]],
    // A spent daily quota: that link waits for the reset (an hour at most), past its 30 s deadline.
    [45009, 'daily quota used up', 60, { linked: 11, timed_out: 1 }, [45009]],
  ])(
    'a %s on one send slows the whole campaign (%s); the other pairs still link once',
    async (errcode, why, slowedTo, byOutcome, firstPairSends) => {
      const pairs = confirmedPairs(h, 12, 1);
      const [first] = pairs;
      if (!first) throw new Error('no pair');
      // The first pair's send meets the limit once.
      h.simulator.injectFault({ endpoint: 'wxamplink', accountAppId: first.officialAccountAppId, miniProgramAppId: first.miniProgramAppId, errcode });
      // 600 starts a minute: one every 100 ms, so the slowdown comes while most pairs are still to start.
      const campaign = await h.links.campaign({ pairs, ...QUICK, paceRecovery: '1m', maxInFlight: 12, startsPerMinute: 600 });
      await waitFor(async () => (await campaign.state()).pace.slowedBy !== null, 'the campaign slowed down');
      const slowed = await campaign.state();
      expect(slowed.pace.slowedBy).toBe(`${errcode} (${why})`);
      expect(slowed.pace.currentStartsPerMinute).toBe(slowedTo);
      expect(slowed.pace.startsPerMinute).toBe(600);

      const result = await campaign.result();
      expect(result.counts).toMatchObject({ total: 12, started: 12, finished: 12 });
      expect(result.counts.byOutcome).toEqual(byOutcome);
      const sends = h.simulator.calls({ endpoint: 'wxamplink', accountAppId: first.officialAccountAppId });
      expect(sends.map((call) => call.errcode)).toEqual(firstPairSends);
      expect(invitations(pairs)).toBe(11 + firstPairSends.length);
    },
    120_000,
  );

  it('invalid input fails with InvalidInput naming the field, before anything starts', async () => {
    await expect(h.links.campaign({ pairs: [{ officialAccountAppId: 'wx/1', miniProgramAppId: 'wx2' }] })).rejects.toMatchObject({
      field: 'pairs[0].officialAccountAppId',
    });
    await expect(h.links.campaign({ miniProgramAppId: 'wx1', officialAccountAppIds: ['wx2'], maxInFlight: 0 })).rejects.toMatchObject({ field: 'maxInFlight' });
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `wxoa${i}`);
    await expect(h.links.campaign({ miniProgramAppId: 'wx1', officialAccountAppIds: tooMany })).rejects.toThrow(/at most 10000/);
  });
});
