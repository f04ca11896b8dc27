/**
 * Coalesced polling: every workflow waiting on one official account is served by the account's
 * watcher — one `wxamplinkget` per interval — and still shows a true state of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowHandle } from '@temporalio/client';
import { getAccountWatchState, getLinkState, linkWorkflowId, watchWorkflowId, type AccountWatchState } from '../workflows/contract';
import { startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { sleep, waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

const SLOW = { pollInterval: '30s', maxPollInterval: '30s', timeout: '2m' } as const;

const gets = (oa: string): number => h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa });
const watcher = (oa: string): WorkflowHandle => h.client.workflow.getHandle(watchWorkflowId(oa));
const watchState = (oa: string): Promise<AccountWatchState> => watcher(oa).query(getAccountWatchState);
const historyLength = async (oa: string, mp: string): Promise<number> =>
  (await h.client.workflow.getHandle(`wxamp-link/${oa}/${mp}`).fetchHistory()).events?.length ?? 0;
const watcherStatus = async (oa: string): Promise<string> => (await watcher(oa).describe()).status.name;

/** Starts `count` links on one account and waits until each is waiting (with status 12 once polled). */
async function startLinks(oa: string, count: number, options: object, polled = true): Promise<string[]> {
  const mps = Array.from({ length: count }, () => h.newMiniProgram());
  // A known username skips the baseline snapshot, so the only wxamplinkget calls are the watcher's.
  await Promise.all(mps.map((mp) => h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: `gh_${mp}`, ...options })));
  for (const mp of mps) {
    await waitFor(async () => {
      const state = await h.links.getState(oa, mp);
      return polled ? state.status === 12 : state.phase === 'waiting';
    }, `${mp} waiting`);
  }
  await waitFor(async () => {
    const waiters = await watchState(oa).catch(() => ({ waiters: [] as string[] }));
    return mps.every((mp) => waiters.waiters.includes(`wxamp-link/${oa}/${mp}`));
  }, 'every link joined the watcher');
  return mps;
}

describe('one watcher per account', () => {
  it('six links on one account cost one wxamplinkget per interval, and are not woken while nothing changes', async () => {
    const oa = h.newAccount();
    // Backing off from 200 ms; the watchdog (12 × maxPollInterval = 1 min) stays out of the window.
    const mps = await startLinks(oa, 6, { pollInterval: '200ms', maxPollInterval: '5s', timeout: '1m' });
    // The first answer (status 12 appeared) and the one after it, which confirms it, go to everyone.
    // The watcher sends a poll's answers before it polls again, so at its third poll they have all
    // been delivered; a query of each link then waits for the task that reads them.
    await waitFor(async () => (await watchState(oa)).polls >= 3, 'three polls');
    for (const mp of mps) await h.client.workflow.getHandle(linkWorkflowId(oa, mp)).query(getLinkState);
    const before = gets(oa);
    const eventsBefore = await Promise.all(mps.map((mp) => historyLength(oa, mp)));
    const windowMs = 3_000;
    await sleep(windowMs);
    const calls = gets(oa) - before;
    // One watcher backing off (400, 800, 1600 ms …): two or three calls, where six links make 6 × that.
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(4);
    // Nothing changed, so no link was woken: not one history event in two seconds of polling.
    expect(await Promise.all(mps.map((mp) => historyLength(oa, mp)))).toEqual(eventsBefore);
    // The link's own query (what the Web UI and `temporal workflow query` read) stays true without
    // the link being woken: `polls` counts the answers it read, `nextPollAt` is null while the
    // watcher polls for it, and `accountWatch` names the watcher.
    const raw = await h.client.workflow.getHandle(linkWorkflowId(oa, mps[0] ?? '')).query(getLinkState);
    expect(raw.nextPollAt).toBeNull();
    expect(raw.polls).toBeGreaterThanOrEqual(1);
    expect(raw.accountWatch?.workflowId).toBe(watchWorkflowId(oa));
    // The library's view adds the watcher's live poll count and next poll, and keeps `polls`.
    const watch = await watchState(oa);
    const state = await h.links.getState(oa, mps[0] ?? '');
    expect(state.polls).toBe(raw.polls);
    expect(state.accountWatch?.polls).toBeGreaterThanOrEqual(watch.polls);
    expect(state.accountWatch?.polls).toBeGreaterThan(raw.accountWatch?.polls ?? Infinity);
    expect(state.nextPollAt).not.toBeNull();
    expect(state.phase).toBe('waiting');
    expect((await watchState(oa)).waiters).toHaveLength(6);

    // Admins act on two of them: those two end linked, the others keep waiting.
    for (const mp of mps.slice(0, 2)) {
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
    }
    for (const mp of mps.slice(0, 2)) {
      const result = await h.links.result(oa, mp);
      expect(result.outcome).toBe('linked');
      // The result counts the answers it read: the ones before, and the change to linked.
      expect(result.polls).toBeGreaterThan(raw.polls);
    }
    await waitFor(async () => (await watchState(oa)).waiters.length === 4, 'the two linked leave the watcher');
    for (const mp of mps.slice(2)) expect((await h.links.getState(oa, mp)).phase).toBe('waiting');
    for (const mp of mps.slice(2)) await h.links.cancel(oa, mp);
    await waitFor(async () => (await watcherStatus(oa)) === 'COMPLETED', 'the watcher ends when nobody waits');
    const afterEnd = gets(oa);
    await sleep(600);
    expect(gets(oa)).toBe(afterEnd);
  });

  it('a link joins its account watcher with its send: no signal or child start of its own on the way to waiting', async () => {
    const oa = h.newAccount();
    // The first link finds no watcher (its send starts one), the second finds it running; the
    // third takes a baseline snapshot first (no username), which its claim carries to the watcher.
    const options = { pollInterval: '200ms', maxPollInterval: '5s', timeout: '1m' } as const;
    const [first, second] = await startLinks(oa, 2, options);
    const third = h.newMiniProgram();
    await h.links.link({ officialAccountAppId: oa, miniProgramAppId: third, ...options });
    await waitFor(async () => (await h.links.getState(oa, third)).status === 12, `${third} polled`);
    expect((await watchState(oa)).waiters.sort()).toEqual([first, second, third].map((mp) => linkWorkflowId(oa, mp ?? '')).sort());
    for (const mp of [first, second, third]) {
      const events = (await h.client.workflow.getHandle(linkWorkflowId(oa, mp ?? '')).fetchHistory()).events ?? [];
      expect(events.filter((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
      expect(events.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
      // Start, the check and the send; then waiting, with its first answer read.
      expect((await h.links.getState(oa, mp ?? '')).polls).toBeGreaterThanOrEqual(1);
    }
    // The joins came from the sends: the watcher was started by the first one, not as a child.
    expect((await watcher(oa).describe()).parentExecution).toBeUndefined();
    h.simulator.act(oa, third ?? '', 'confirm-account');
    h.simulator.act(oa, third ?? '', 'confirm-mini-program');
    expect((await h.links.result(oa, third)).outcome).toBe('linked');
    await Promise.all([h.links.cancel(oa, first ?? ''), h.links.cancel(oa, second ?? '')]);
    await waitFor(async () => (await watcherStatus(oa)) === 'COMPLETED', 'the watcher ends');
  });

  it("a new watcher's first answer wakes each link once: the next ones, nothing having changed, wake nobody", async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    // Backing off from 200 ms (three polls in about 1.4 s); the watchdog (1 min) stays out of the way.
    // No username: the link takes its baseline first, and its claim names no entry of its own yet.
    await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, pollInterval: '200ms', maxPollInterval: '5s', timeout: '1m' });
    await waitFor(async () => ((await watchState(oa).catch(() => null))?.polls ?? 0) >= 3, 'three polls');
    const link = h.client.workflow.getHandle(linkWorkflowId(oa, mp));
    // A query waits for any task that reads an answer already sent.
    await link.query(getLinkState);
    const linkEvents = (await link.fetchHistory()).events ?? [];
    const answers = linkEvents.filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'wxampAccountPolled');
    // The first answer (its entry appeared, status 12) and nothing after it: the watcher's first
    // answer is no change that a second answer must confirm.
    expect(answers).toHaveLength(1);
    const watcherEvents = (await watcher(oa).fetchHistory()).events ?? [];
    expect(watcherEvents.filter((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes)).toHaveLength(1);
    expect(watcherEvents.filter((event) => event.activityTaskCompletedEventAttributes).length).toBeGreaterThanOrEqual(3);
    expect((await link.query(getLinkState)).polls).toBe(1);
    // A change still reaches it: the admins confirm, and it ends linked.
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    expect((await h.links.result(oa, mp)).outcome).toBe('linked');
  });

  it('pollNow on a link polls its account at once and updates that link within a second, even when nothing changed', async () => {
    const oa = h.newAccount();
    const [mp, other] = await startLinks(oa, 2, SLOW, false);
    if (!mp || !other) throw new Error('no link');
    const callsBefore = gets(oa);
    const pollsBefore = (await h.links.getState(oa, mp)).polls;
    expect(pollsBefore).toBe(0); // the first poll is 30 s away
    const sent = Date.now();
    await h.links.pollNow(oa, mp);
    await waitFor(async () => (await h.links.getState(oa, mp)).polls === pollsBefore + 1, 'the poll in the link', 5_000);
    // Well within a second on a quiet machine (`npm run bench` measures the p99); 2 s leaves room for a busy CI.
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(gets(oa)).toBe(callsBefore + 1);
    // The same answer served the other link: no second call.
    await waitFor(async () => (await h.links.getState(oa, other)).polls === 1, 'the other link');
    expect(gets(oa)).toBe(callsBefore + 1);
    await Promise.all([h.links.cancel(oa, mp), h.links.cancel(oa, other)]);
  });

  it('a cancelled link leaves the watcher at once, and the last one out ends it', async () => {
    const oa = h.newAccount();
    const [first, second] = await startLinks(oa, 2, SLOW, false);
    if (!first || !second) throw new Error('no link');
    await h.links.cancel(oa, first);
    await waitFor(async () => (await watchState(oa)).waiters.length === 1, 'one waiter left');
    expect((await watchState(oa)).waiters).toEqual([`wxamp-link/${oa}/${second}`]);
    await h.links.cancel(oa, second);
    await waitFor(async () => (await watcherStatus(oa)) === 'COMPLETED', 'the watcher ends');
  });

  it('links cancelled the moment they start waiting (while they start the watcher) end cancelled, none hangs', async () => {
    const pairs = Array.from({ length: 8 }, () => ({ oa: h.newAccount(), mp: h.newMiniProgram() }));
    await Promise.all(
      pairs.map(async ({ oa, mp }) => {
        const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: `gh_${mp}`, ...SLOW });
        await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'waiting');
        await handle.cancel();
        const ended = await Promise.race([
          handle.result().then(
            () => 'completed',
            () => 'cancelled',
          ),
          // Generous on a loaded machine: a cancelled link ends within a few seconds; "hung" means never.
          sleep(30_000).then(() => 'hung'),
        ]);
        if (ended === 'hung') {
          // Say where it stopped, so that a hang seen once can be followed up.
          const events = (await handle.fetchHistory()).events ?? [];
          console.error(`${handle.workflowId} hung after cancel: ${events.map((event) => `${String(event.eventId)}:${String(event.eventType)}`).join(' ')}`);
        }
        expect(ended).toBe('cancelled');
      }),
    );
  });

  it('a terminated watcher is replaced by the waiters, and the link still ends linked', async () => {
    const oa = h.newAccount();
    const options = { pollInterval: '100ms', maxPollInterval: '300ms', timeout: '1m' };
    const [mp] = await startLinks(oa, 1, options);
    // (The watchdog's tick is 3.6 s here.)
    if (!mp) throw new Error('no link');
    const terminated = (await watcher(oa).describe()).runId;
    await watcher(oa).terminate('test: the watcher is gone');
    // The link's watchdog (every 12 × maxPollInterval) joins again, starting a new watcher.
    await waitFor(
      async () => {
        const described = await watcher(oa).describe();
        return described.runId !== terminated && described.status.name === 'RUNNING';
      },
      'a new watcher',
      10_000,
    );
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    expect((await h.links.result(oa, mp)).outcome).toBe('linked');
  });

  it('a terminated link is probed once it has been silent 1.5 watchdog periods: the watcher drops it, and the live link beside it is not probed', async () => {
    const oa = h.newAccount();
    // The watchdog's tick is 3.6 s here, so a waiter silent for 5.4 s is probed.
    const options = { pollInterval: '100ms', maxPollInterval: '300ms', timeout: '1m' };
    const [dead, live] = await startLinks(oa, 2, options);
    if (!dead || !live) throw new Error('no link');
    const deadId = linkWorkflowId(oa, dead);
    const liveId = linkWorkflowId(oa, live);
    // Two polls with nothing new: any answer that confirms the links' entries has been sent, and
    // from here on the watcher answers only those that join (or that it probes).
    const settledAt = (await watchState(oa)).polls + 2;
    await waitFor(async () => (await watchState(oa)).polls >= settledAt, 'two quiet polls');
    await h.client.workflow.getHandle(deadId).terminate('test: an operator terminates one link');
    await waitFor(async () => (await watchState(oa)).waiters.join() === liveId, 'the watcher drops the terminated link', 15_000);

    const events = (await watcher(oa).fetchHistory()).events ?? [];
    // The terminated link was found by an answer that failed to reach it.
    const failedTo = events.map((event) => event.signalExternalWorkflowExecutionFailedEventAttributes?.workflowExecution?.workflowId).filter(Boolean);
    expect(failedTo).toEqual([deadId]);
    // The live link re-joined every 3.6 s and took one answer per join (and the first answer):
    // never a probe, which would be an answer beyond those.
    const answersTo = (workflowId: string): number =>
      events.filter((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId === workflowId).length;
    const joinsFrom = (workflowId: string): number =>
      events.filter((event) => {
        const signal = event.workflowExecutionSignaledEventAttributes;
        if (signal?.signalName !== 'wxampJoinAccountWatch') return false;
        const data = signal.input?.payloads?.[0]?.data;
        return data !== undefined && data !== null && (JSON.parse(Buffer.from(data).toString()) as { workflowId?: string }).workflowId === workflowId;
      }).length;
    expect(joinsFrom(liveId)).toBeGreaterThanOrEqual(1);
    expect(answersTo(liveId)).toBeLessThanOrEqual(joinsFrom(liveId) + 1);

    await h.links.cancel(oa, live);
    await waitFor(async () => (await watcherStatus(oa)) === 'COMPLETED', 'the watcher ends');
  });

  it('45011 on wxamplinkget slows the whole account, and every waiting link shows the error', async () => {
    const oa = h.newAccount();
    const options = { pollInterval: '100ms', maxPollInterval: '800ms', timeout: '1m' };
    const mps = await startLinks(oa, 3, options);
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 45011, times: 3 });
    await waitFor(async () => (await h.links.getState(oa, mps[0] ?? '')).lastError?.errcode === 45011, 'the rate limit in the state');
    for (const mp of mps) expect((await h.links.getState(oa, mp)).lastError).toMatchObject({ type: 'WeChatRateLimited', errcode: 45011 });
    const during = gets(oa);
    await sleep(1_000);
    // The account waits ~400 ms, then 800 ms: at most two calls in a second, for three links.
    expect(gets(oa) - during).toBeLessThanOrEqual(2);
    await waitFor(async () => (await h.links.getState(oa, mps[0] ?? '')).lastError === null, 'the error cleared', 10_000);
    for (const mp of mps) await h.links.cancel(oa, mp);
  });

  it('the watcher continues as new while links come and go, and carries every waiter', async () => {
    const oa = h.newAccount();
    const options = { pollInterval: '50ms', maxPollInterval: '50ms', timeout: '1m', maxHistoryEvents: 120 } as const;
    const early = await startLinks(oa, 2, options);
    // Two hand-overs before the next links join, then more while they wait.
    for (let generation = 0; generation < 2; generation++) {
      const run = (await watcher(oa).describe()).runId;
      await waitFor(async () => (await watcher(oa).describe()).runId !== run, 'a new watcher run', 20_000);
    }
    const late = await startLinks(oa, 2, options);
    for (const mp of [...early, ...late]) {
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
    }
    for (const mp of [...early, ...late]) {
      const result = await h.links.result(oa, mp);
      expect(result.outcome).toBe('linked');
      expect(result.transitions.map((t) => t.status)).toEqual([12, 1]);
    }
    await waitFor(async () => (await watcherStatus(oa)) === 'COMPLETED', 'the watcher ends');
    let runs = 0;
    for await (const execution of h.client.workflow.list({ query: `WorkflowId = '${watchWorkflowId(oa)}'` })) {
      runs += 1;
      const history = await h.client.workflow.getHandle(watchWorkflowId(oa), execution.runId).fetchHistory();
      expect(history.events?.length ?? 0).toBeLessThan(200);
    }
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('polls is exact at every outcome: timed_out and cancelled links count every answer they read', async () => {
    const oa = h.newAccount();
    const options = { pollInterval: '100ms', maxPollInterval: '300ms', timeout: '6s' } as const;
    const [timingOut, cancelled] = await startLinks(oa, 2, options);
    if (!timingOut || !cancelled) throw new Error('no link');
    // A change on the account wakes both: something to count.
    h.simulator.act(oa, timingOut, 'confirm-account');
    await waitFor(async () => (await h.links.getState(oa, cancelled)).polls >= 2, 'a second answer');
    await h.links.cancel(oa, cancelled);
    const result = await h.links.result(oa, timingOut);
    expect(result.outcome).toBe('timed_out');
    for (const [mp, polls] of [
      [timingOut, result.polls],
      [cancelled, (await h.client.workflow.getHandle(linkWorkflowId(oa, cancelled)).query(getLinkState)).polls],
    ] as const) {
      const history = await h.client.workflow.getHandle(linkWorkflowId(oa, mp)).fetchHistory();
      const answers = (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'wxampAccountPolled').length;
      expect(answers).toBeGreaterThanOrEqual(2);
      // No poll failed here, so every answer signalled was a list for the link to read; one may
      // arrive as it ends (a signal is recorded even when the run no longer reads it).
      expect(polls).toBeLessThanOrEqual(answers);
      expect(polls).toBeGreaterThanOrEqual(answers - 1);
    }
  });
});
