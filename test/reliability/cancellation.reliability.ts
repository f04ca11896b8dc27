/**
 * Scenario 7, cancellation and termination: a link cancelled while its send is in flight, while
 * the send is being retried, and while it waits, and an unlink cancelled while it waits — each
 * ends cancelled, with `WxLinkStatus = 'cancelled'`, and WeChat hears nothing more from it. A link
 * terminated by an operator leaves the worker serving the others as before.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { WxLinkStatus, type PairKind } from '../../client';
import { AUTO_CONFIRM_SCRIPT } from '../../simulator';
import { watchWorkflowId } from '../../workflows/contract';
import { silenceLimitMs } from '../../workflows/watch/silent-waiters';
import { FAST, startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { sleep, waitFor } from '../helpers/wait';
import { reportRow } from './helpers/report';
import { secondsSince } from './helpers/suite';

/** How long a cancelled workflow is watched for calls it should no longer make (FAST polls every 100 to 400 ms). */
const QUIET_MS = 1_500;

let h: LinkHarness;
const started = Date.now();
const tally = { runs: 0, correct: 0, calls: 0 };

beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  reportRow({
    scenario: '7 cancel and terminate',
    runs: tally.runs,
    correct: tally.correct,
    duplicateSends: 0,
    apiCalls: tally.calls,
    seconds: secondsSince(started),
    note: `no WeChat call within ${QUIET_MS} ms of any cancellation or termination`,
  });
  await h?.close();
});

/** A fresh pair for one case, whose calls are counted once it has run. */
async function pairCase(run: (oa: string, mp: string) => Promise<void>): Promise<void> {
  tally.runs += 1;
  const oa = h.newAccount();
  const mp = h.newMiniProgram();
  try {
    await run(oa, mp);
  } finally {
    tally.calls += h.simulator.countCalls({ accountAppId: oa });
  }
  tally.correct += 1;
}

/** Cancels the pair's workflow and checks that it ended cancelled, says so everywhere, and calls WeChat no more. */
async function cancelAndCheck(oa: string, mp: string, kind: PairKind = 'link'): Promise<void> {
  const handle = h.links.getHandle(oa, mp, kind);
  await h.links.cancel(oa, mp, kind);
  const error = await handle.result().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const callsAtEnd = h.simulator.countCalls({ accountAppId: oa });
  const description = await handle.describe();
  expect(description.status.name).toBe('CANCELLED');
  expect(description.typedSearchAttributes.get(WxLinkStatus)).toBe('cancelled');
  expect(await h.links.getState(oa, mp, kind)).toMatchObject({ phase: 'done', outcome: 'cancelled', nextPollAt: null });
  await sleep(QUIET_MS);
  expect(h.simulator.countCalls({ accountAppId: oa })).toBe(callsAtEnd);
}

describe('cancellation', () => {
  it('a link cancelled while its send waits for WeChat ends cancelled; the late answer changes nothing', () =>
    pairCase(async (oa, mp) => {
      h.simulator.setChaos({ seed: 1, rate: 0, endpoints: ['wxamplink'], accountAppIds: [oa], latencyMs: 2_500 });
      await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send to reach WeChat');
      expect((await h.links.getState(oa, mp)).phase).toBe('sending');
      await cancelAndCheck(oa, mp);
      await sleep(1_000); // the send's answer has come back to the worker by now: still nothing
      expect(h.simulator.countCalls({ accountAppId: oa, endpoint: 'wxamplinkget' })).toBe(1); // the snapshot before the send
      h.simulator.setChaos(null);
    }));

  it('a link cancelled while its send is being retried (-1 again and again) ends cancelled', () =>
    pairCase(async (oa, mp) => {
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: -1, times: 1_000 });
      await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(async () => (await h.links.getState(oa, mp)).lastError?.consecutiveFailures === 2, 'two failed sends');
      expect((await h.links.getState(oa, mp)).phase).toBe('sending');
      await cancelAndCheck(oa, mp);
      h.simulator.clearFaults();
    }));

  it('a link cancelled while it waits for the admins ends cancelled', () =>
    pairCase(async (oa, mp) => {
      await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(async () => (await h.links.getState(oa, mp)).polls >= 2, 'two polls while waiting');
      await cancelAndCheck(oa, mp);
    }));

  it('an unlink cancelled while it waits for the account admin ends cancelled', () =>
    pairCase(async (oa, mp) => {
      h.simulator.seedEntry(oa, mp, { status: 1 });
      await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(async () => (await h.links.getState(oa, mp, 'unlink')).phase === 'waiting', 'the unlink waiting');
      expect(h.simulator.countCalls({ accountAppId: oa, endpoint: 'wxampunlink' })).toBe(1);
      await cancelAndCheck(oa, mp, 'unlink');
    }));
});

describe('termination', () => {
  it('terminating one waiting link stops its calls; the links around it finish as before, and the worker goes on', () =>
    pairCase(async (oa, mp) => {
      const others = Array.from({ length: 3 }, () => ({ oa: h.newAccount(), mp: h.newMiniProgram() }));
      for (const o of others)
        h.simulator.scriptLink(o.oa, o.mp, [
          { afterPolls: 3, then: 2 },
          { afterPolls: 3, then: 1 },
        ]);
      const victim = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      const results = (await Promise.all(others.map((o) => h.links.link({ officialAccountAppId: o.oa, miniProgramAppId: o.mp, ...FAST })))).map((handle) =>
        handle.result(),
      );
      await waitFor(async () => (await h.links.getState(oa, mp)).polls >= 1, 'the victim waiting');
      await victim.terminate('reliability suite: an operator terminates one link');
      const callsAtEnd = h.simulator.countCalls({ accountAppId: oa });
      expect((await victim.describe()).status.name).toBe('TERMINATED');

      expect((await Promise.all(results)).map((r) => r.outcome)).toEqual(['linked', 'linked', 'linked']);
      // A terminated link cannot say goodbye: its watcher stops hearing from it, probes it once it
      // has been silent 1.5 watchdog periods (7.2 s at FAST), finds nobody to answer, and ends —
      // after at most one poll per pollInterval meanwhile. Then nothing more is called.
      const watcher = h.client.workflow.getHandle(watchWorkflowId(oa));
      const silenceMs = silenceLimitMs({ maxPollIntervalMs: 400 });
      await waitFor(async () => (await watcher.describe()).status.name === 'COMPLETED', 'the watcher ends', silenceMs + 10_000);
      expect(h.simulator.countCalls({ accountAppId: oa }) - callsAtEnd).toBeLessThanOrEqual(silenceMs / 100 + 1);
      const callsAfterWatcher = h.simulator.countCalls({ accountAppId: oa });
      await sleep(QUIET_MS);
      expect(h.simulator.countCalls({ accountAppId: oa })).toBe(callsAfterWatcher);
      for (const o of others) tally.calls += h.simulator.countCalls({ accountAppId: o.oa });

      const after = { oa: h.newAccount(), mp: h.newMiniProgram() };
      h.simulator.scriptLink(after.oa, after.mp, AUTO_CONFIRM_SCRIPT);
      expect((await (await h.links.link({ officialAccountAppId: after.oa, miniProgramAppId: after.mp, ...FAST })).result()).outcome).toBe('linked');
    }));
});
