/**
 * Bounded histories: a long wait continues as new, carrying its state, and ends the same as one
 * long run would — same outcome, transitions, poll count and query answers across generations.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

const EVERY_50MS = { pollInterval: '50ms', maxPollInterval: '50ms', timeout: '3m', maxHistoryEvents: 100 } as const;

describe('continue-as-new', () => {
  it('a wait through several generations keeps its outcome, transitions, polls and query', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    // A waiting link reads an answer only when its account's entries change (and the one after,
    // which confirms), so its history grows with changes, not with time: 40 of them (the entry
    // flips between 12 and the undocumented 4) fill several runs of 100 events.
    const flips = Array.from({ length: 40 }, (_, i) => ({ afterPolls: 1, then: i % 2 === 0 ? 4 : 12 }));
    // The script stops at 2 and the test confirms: a query loop could miss a 2 that lasts 100 ms.
    h.simulator.scriptLink(oa, mp, [...flips, { afterPolls: 2, then: 2 }]);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...EVERY_50MS });

    // Mid-way, in a later generation, the query still shows the whole story so far.
    await waitFor(async () => (await h.links.getState(oa, mp)).status === 2, 'status 2', 60_000);
    const midway = await h.links.getState(oa, mp);
    expect(midway.transitions.map((t) => t.status)).toEqual([12, ...flips.map((step) => step.then), 2]);
    // At least the answer that showed 12 and the one that showed 2.
    expect(midway.polls).toBeGreaterThanOrEqual(2);
    h.simulator.act(oa, mp, 'confirm-mini-program');

    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, ...flips.map((step) => step.then), 2, 1]);
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
    // The baseline, then at least one poll per step of the script; the link read only the answers it was sent.
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBeGreaterThanOrEqual(1 + flips.length + 3);

    const runs: string[] = [];
    let answersRead = 0;
    for await (const execution of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
      runs.push(execution.runId);
      const history = await h.client.workflow.getHandle(handle.workflowId, execution.runId).fetchHistory();
      // Bounded, not exact: answers keep coming every 50 ms while a run hands over, and each one
      // that lands during the handover's workflow task adds its events before the next task can
      // complete it (156 seen once under CI load). A run that never handed over would hold all
      // ~340 events of this wait; runs that handed over late could not make the three runs below.
      expect(history.events?.length ?? 0).toBeLessThan(2 * EVERY_50MS.maxHistoryEvents);
      answersRead += (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'wxampAccountPolled').length;
    }
    // `polls` is exact across generations: every answer the watcher sent it (no poll failed here).
    expect(result.polls).toBe(answersRead);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    // Every generation set the search attributes: the latest one is findable by its outcome.
    const described = await h.client.workflow.getHandle(handle.workflowId).describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
    expect(described.searchAttributes.WxLinkStatus).toEqual(['linked']);
  }, 120_000);

  it('a long retry storm (a rejected token) also continues as new, keeping its back-off, then links', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const goodToken = h.tokens.get(oa) ?? '';
    h.tokens.set(oa, 'a-token-wechat-rejects-0123456789');
    const startedAt = Date.now();
    const handle = await h.links.link({
      officialAccountAppId: oa,
      miniProgramAppId: mp,
      pollInterval: '100ms',
      maxPollInterval: '200ms',
      timeout: '1m',
      maxHistoryEvents: 100,
    });
    await waitFor(async () => (await runsOf(handle.workflowId)) >= 3, 'three generations', 30_000);
    const state = await h.links.getState(oa, mp);
    expect(state.phase).toBe('sending');
    expect(state.lastError).toMatchObject({ type: 'WeChatTokenRejected' });
    expect(state.lastError?.consecutiveFailures).toBeGreaterThan(10); // counted across generations
    // The back-off survives the hand-over: once it reached maxPollInterval (200 ms), no two calls
    // come closer than that, at a new run's start or anywhere (a loaded machine only spaces them more).
    const rejectedAt = h.simulator
      .calls()
      .filter((call) => call.errcode === 40001 && Date.parse(call.at) >= startedAt) // the rejected token is this test's only 40001
      .map((call) => Date.parse(call.at));
    expect(rejectedAt.length).toBeGreaterThan(10);
    const gaps = rejectedAt.slice(1).map((at, i) => at - (rejectedAt[i] ?? at));
    expect(Math.min(...gaps.slice(4))).toBeGreaterThanOrEqual(150);

    h.tokens.set(oa, goodToken);
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    expect(result.transitions.map((t) => t.status)).toEqual([12, 2, 1]);
  });
});

async function runsOf(workflowId: string): Promise<number> {
  let runs = 0;
  for await (const _execution of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs += 1;
  return runs;
}
