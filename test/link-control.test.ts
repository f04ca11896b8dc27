/**
 * What backend code and operators do with a running link: start it twice, query it, nudge it,
 * cancel it, and find it by its search attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { watchWorkflowId, WxLinkStatus } from '../workflows/contract';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { sleep, waitFor } from './helpers/wait';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h.close();
});

describe('driving a link', () => {
  it('a second start for the same pair joins the running workflow: one invitation, never two', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const input = { officialAccountAppId: oa, miniProgramAppId: mp, ...FAST };
    const [first, second] = await Promise.all([h.links.link(input), h.links.link(input)]);
    const third = await h.links.link(input);
    expect(second.firstExecutionRunId).toBe(first.firstExecutionRunId);
    expect(third.firstExecutionRunId).toBe(first.firstExecutionRunId);
    expect(first.workflowId).toBe(`wxamp-link/${oa}/${mp}`);
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    expect((await first.result()).outcome).toBe('linked');
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
  });

  it('getLinkState answers while waiting, with every field DESIGN promises', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(async () => (await h.links.getState(oa, mp)).status === 12, 'status 12');
    const state = await h.links.getState(oa, mp);
    expect(state).toMatchObject({ phase: 'waiting', status: 12, outcome: null, lastError: null, matching: { by: 'appid' } });
    expect(state.polls).toBeGreaterThanOrEqual(1);
    expect(state.transitions.map((t) => t.status)).toEqual([12]);
    expect(Date.parse(state.deadline)).toBeGreaterThan(Date.now());
    expect(Date.parse(state.nextPollAt ?? '')).toBeGreaterThan(0);
    expect(state.username).toMatch(/^gh_/);
    expect(state.statusMeaning).toBe('waiting for the official-account admin');
    await handle.cancel();
  });

  it('pollNow makes a slowly polling workflow poll at once', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    // Polls an hour apart: only pollNow can bring the outcome within the test's time.
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, pollInterval: '1h', maxPollInterval: '1h', timeout: '2h' });
    // Sent and waiting: its account's first scheduled poll is an hour away.
    await waitFor(async () => (await h.links.getState(oa, mp)).phase === 'waiting', 'the link to wait');
    const pollsBefore = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa });
    h.simulator.act(oa, mp, 'confirm-account');
    h.simulator.act(oa, mp, 'confirm-mini-program');
    await h.links.pollNow(oa, mp);
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    // One poll, the one asked for (DESIGN: pollNow polls at once; the schedule did not).
    expect(h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa })).toBe(pollsBefore + 1);
  });

  it('cancel ends the workflow as cancelled, and it stops calling WeChat', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: oa }) >= 2, 'a poll');
    await h.links.cancel(oa, mp);
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const description = await handle.describe();
    expect(description.status.name).toBe('CANCELLED');
    expect(description.typedSearchAttributes.get(WxLinkStatus)).toBe('cancelled');
    // Its account's watcher, left without waiters, ends too: then nothing polls the account.
    await waitFor(async () => (await h.client.workflow.getHandle(watchWorkflowId(oa)).describe()).status.name !== 'RUNNING', 'the watcher to end', 20_000);
    const callsAfter = h.simulator.countCalls({ accountAppId: oa });
    // The contract is exactly "no more calls", which only a quiet window can show: 600 ms is six
    // FAST poll intervals, so a poll loop left running would show here.
    await sleep(600);
    expect(h.simulator.countCalls({ accountAppId: oa })).toBe(callsAfter);
  });

  it('sets the search attributes itself, even when started without the client library', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const handle = await h.client.workflow.start('linkMiniProgram', {
      taskQueue: h.taskQueue,
      workflowId: `raw-start-${mp}`,
      args: [{ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST }],
    });
    await handle.result();
    const query = `WxOfficialAccountAppId = '${oa}' AND WxMiniProgramAppId = '${mp}' AND WxLinkStatus = 'linked'`;
    await waitFor(async () => {
      for await (const execution of h.client.workflow.list({ query })) {
        if (execution.workflowId === handle.workflowId) return true;
      }
      return false;
    }, 'the workflow in a visibility query');
  });
});
