/**
 * The account's pace belongs to the operator: no starter's `pollInterval` or `maxPollInterval`,
 * no stream of `pollNow`, and no hand-made join signal polls an account more often than
 * `WXAMP_MIN_POLL_INTERVAL`; a clamped interval shows in the link's own state.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getAccountWatchState, getLinkState, linkWorkflowId, watchWorkflowId, type LinkInput } from '../workflows/contract';
import { startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { TEST_POLICY } from './helpers/test-policy';
import { sleep, waitFor } from './helpers/wait';

const FLOOR_MS = 1_000;
let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness({ policy: { ...TEST_POLICY, minPollIntervalMs: FLOOR_MS } });
});
afterAll(async () => {
  await h.close();
});

const gets = (oa: string): number => h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa });

/** A link with a known username (no baseline snapshot), once it is waiting. */
async function waitingLink(oa: string, intervals: Pick<LinkInput, 'pollInterval' | 'maxPollInterval'>): Promise<string> {
  const mp = h.newMiniProgram();
  await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: `gh_${mp}`, timeout: '1m', ...intervals });
  await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'waiting');
  return mp;
}
const GREEDY = { pollInterval: '50ms', maxPollInterval: '100ms' } as const;

describe("the operator's floor under poll intervals", () => {
  it('a starter asking for 50 ms polls gets the floor, and the state says so', async () => {
    const oa = h.newAccount();
    const mp = await waitingLink(oa, GREEDY);
    // The link's own query (what the Web UI reads), not the library's view.
    const state = await h.client.workflow.getHandle(linkWorkflowId(oa, mp)).query(getLinkState);
    expect(state.effectivePolling).toEqual({ pollIntervalMs: FLOOR_MS, maxPollIntervalMs: FLOOR_MS, minPollIntervalMs: FLOOR_MS, clamped: true });
    await waitFor(() => gets(oa) >= 1, 'the first poll');
    const before = gets(oa);
    await sleep(3_000);
    // 50 ms asked: 60 polls in 3 s. The floor allows at most one a second.
    expect(gets(oa) - before).toBeLessThanOrEqual(4);
    await h.links.cancel(oa, mp);
  });

  it('a stream of pollNow does not poll the account more often than the floor', async () => {
    const oa = h.newAccount();
    const mp = await waitingLink(oa, { pollInterval: '30s', maxPollInterval: '1m' });
    const before = gets(oa);
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      await h.links.pollNow(oa, mp);
      await sleep(100);
    }
    // At least one poll came of it (waited for: a loaded run may bring it after the stream).
    await waitFor(() => gets(oa) - before >= 1, 'a poll for the pollNow stream', 10_000);
    await sleep(500);
    const seconds = (Date.now() - started) / 1_000;
    expect(gets(oa) - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    await h.links.cancel(oa, mp);
  });

  it('a hand-made join signal with a tiny interval, or a malformed one, cannot take the watcher', async () => {
    const oa = h.newAccount();
    const mp = await waitingLink(oa, { pollInterval: '2s', maxPollInterval: '2s' });
    const watcher = h.client.workflow.getHandle(watchWorkflowId(oa));
    await waitFor(async () => (await watcher.query(getAccountWatchState).catch(() => null)) !== null, 'the watcher');
    await watcher.signal('wxampJoinAccountWatch', { workflowId: 'intruder-1', pollIntervalMs: 1, maxPollIntervalMs: 1, maxHistoryEvents: 100 });
    await watcher.signal('wxampJoinAccountWatch', { workflowId: '', pollIntervalMs: -5, maxPollIntervalMs: 'fast' });
    await watcher.signal('wxampJoinAccountWatch', 'not even an object');
    await sleep(300);
    const before = gets(oa);
    await sleep(3_000);
    // The intruder's 1 ms is raised to the floor: at most one poll a second.
    expect(gets(oa) - before).toBeLessThanOrEqual(4);
    const state = await watcher.query(getAccountWatchState);
    // The malformed joins were dropped; the well-formed one is a waiter like any other (it will be
    // dropped at its first answer: no workflow by that id runs).
    expect(state.waiters).not.toContain('');
    expect(state.waiters.length).toBeLessThanOrEqual(2);
    expect(state.delayMs === null || state.delayMs >= FLOOR_MS).toBe(true);
    await h.links.cancel(oa, mp);
  });
});
