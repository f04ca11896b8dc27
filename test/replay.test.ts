/**
 * Versioning safety net: waits last days, so a deployment must not break the links already
 * running. Histories recorded from real runs (test/fixtures/histories/) are replayed against the
 * current workflow code; a change that is not replay-safe fails here and must be guarded with
 * `patched()` (see docs/deployment.md). `WXAMP_RECORD_HISTORIES=1 npx jest test/replay` records
 * the scenarios again under the prefix {@link GENERATION} (`=webhook`: the webhook ones), beside the older ones: files without a
 * prefix were recorded before the account watcher (their links poll on their own), `watch-` files
 * after it, `policy-` files after the operator's policy, the look before a resend and the entry
 * claims (issue 13), `join-` files after a link's send joins its account's watcher (issue 14),
 * `quiet-` files after a watcher's first answer stopped waking every waiter a second time,
 * `webhook-` files with webhooks on (recorded by the second recording block).
 * Keep every generation: runs of each may still be open in production.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { findOrInstallTemporalCli } from '../local/temporal-cli';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { getLinkState, linkWorkflowId, unlinkWorkflowId, watchWorkflowId, WorkflowType } from '../workflows/contract';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';
import { waitFor } from './helpers/wait';
import { approvingPair } from './helpers/approving-pair';

const run = promisify(execFile);
const fixtures = join(__dirname, 'fixtures', 'histories');
/** `1` records the scenarios of {@link GENERATION}; `webhook` those of {@link WEBHOOK_GENERATION}. */
const recording = process.env.WXAMP_RECORD_HISTORIES === '1';
const recordingWebhooks = process.env.WXAMP_RECORD_HISTORIES === 'webhook';
/** The prefix of the fixtures a recording writes now. */
const GENERATION = 'probe-';
/** The prefix of the webhook scenarios, recorded by their own run (a worker with webhooks on). */
const WEBHOOK_GENERATION = 'webhook-';

describe('replaying recorded histories against the current workflow code', () => {
  it('replays every fixture without a nondeterminism error', async () => {
    const files = readdirSync(fixtures).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(files.filter((name) => name.startsWith(GENERATION)).length).toBeGreaterThanOrEqual(8);
    // The JSON as exported; the worker decodes it (historyFromJSON here would meet another copy of protobufjs).
    const histories = files.map((name) => {
      const history = JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as ExportedHistory;
      return { workflowId: workflowIdOf(history) ?? name, history };
    });
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.WXAMP_TEST_WORKFLOW_BUNDLE ?? '' } }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});

/** The JSON of `temporal workflow show --output json`, as far as the replay needs it. */
interface ExportedHistory {
  events?: Array<{
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string }; input?: { payloads?: Array<{ data?: string }> } };
  }>;
}

/**
 * The workflow id a history ran under: workflows read their own id (a waiter tells its own claim
 * from the others' by it), so a replay must give the same one. The export does not carry it, but
 * each workflow type's id follows from its input.
 */
function workflowIdOf(history: ExportedHistory): string | undefined {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const data = started?.input?.payloads?.[0]?.data;
  if (!started || data === undefined) return undefined;
  const input = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { officialAccountAppId?: string; miniProgramAppId?: string };
  const oa = input.officialAccountAppId ?? '';
  const mp = input.miniProgramAppId ?? '';
  switch (started.workflowType?.name) {
    case WorkflowType.Link:
      return linkWorkflowId(oa, mp);
    case WorkflowType.Unlink:
      return unlinkWorkflowId(oa, mp);
    case WorkflowType.Watch:
      return watchWorkflowId(oa);
    case WorkflowType.List:
      return `wxamp-list/${oa}`;
    default:
      return undefined;
  }
}

(recording ? describe : describe.skip)('recording fixtures (WXAMP_RECORD_HISTORIES=1)', () => {
  let h: LinkHarness;
  beforeAll(async () => {
    h = await startLinkHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const save = (name: string, workflowId: string) => saveHistory(`${GENERATION}${name}`, workflowId);
  const link = async (name: string, setup: (oa: string, mp: string) => void, extra: Record<string, unknown> = {}, account: { includeAppId?: boolean } = {}) => {
    const oa = h.newAccount(account);
    const mp = h.newMiniProgram();
    setup(oa, mp);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, ...extra });
    await handle.result().catch(() => undefined);
    await save(name, handle.workflowId);
    return oa;
  };

  it('records the scenarios', async () => {
    const watched = await link('link-linked', (oa, mp) => h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT));
    const watcher = h.client.workflow.getHandle(watchWorkflowId(watched));
    await watcher.result();
    await save('account-watcher', watcher.workflowId);
    await link(
      'link-linked-by-snapshot-diff',
      (oa, mp) => {
        h.simulator.seedEntry(oa, h.newMiniProgram(), { status: 12 });
        h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
      },
      {},
      { includeAppId: false },
    );
    await link('link-refused', (_oa, mp) => h.simulator.configureMiniProgram(mp, { linkErrcode: 89013 }));
    await link('link-already-linked', (oa, mp) => h.simulator.seedEntry(oa, mp, { status: 1 }));
    await link('link-expired', (oa, mp) => h.simulator.scriptLink(oa, mp, [{ afterPolls: 1, then: 'vanish' }]));
    await link('link-timed-out', () => undefined, { timeout: '1s' });
    await link('link-transient-retries', (oa, mp) => {
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: -1, times: 2 });
      h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    });
    await link(
      'link-continue-as-new',
      (oa, mp) =>
        h.simulator.scriptLink(oa, mp, [
          { afterPolls: 12, then: 2 },
          { afterPolls: 1, then: 1 },
        ]),
      {
        pollInterval: '50ms',
        maxPollInterval: '50ms',
        maxHistoryEvents: 100,
      },
    );

    await link('link-lost-send-answer', (oa, mp) => {
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', afterApplying: true, httpStatus: 502 });
      h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    });
    await link('link-account-refusal-streak', (oa) => {
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 1005, times: 1_000 });
    });
    h.simulator.clearFaults();

    // A campaign of one pair: the campaign's history and its link's (which reports back).
    const { campaignId, linkId } = await runOnePairCampaign(h);
    await save('campaign', campaignId);
    await save('link-in-campaign', linkId);

    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1 });
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 1 });
    const unlinking = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    await unlinking.result();
    await save('unlink-unlinked', unlinking.workflowId);

    await h.links.list(oa);
    await save('list', `wxamp-list/${oa}`);

    // A watcher that probes a terminated, silent link, drops it and ends (7.2 s of silence at FAST).
    const lonely = h.newAccount();
    const terminated = await h.links.link({ officialAccountAppId: lonely, miniProgramAppId: h.newMiniProgram(), ...FAST });
    await waitFor(async () => (await terminated.query(getLinkState)).polls >= 1, 'the link waiting', 20_000);
    await terminated.terminate('recording: a silent waiter');
    const prober = h.client.workflow.getHandle(watchWorkflowId(lonely));
    await prober.result();
    await save('account-watcher-probe', prober.workflowId);
  });
});

(recordingWebhooks ? describe : describe.skip)('recording the webhook fixtures (WXAMP_RECORD_HISTORIES=webhook)', () => {
  const secret = 'a-secret-for-the-recording';
  let h: LinkHarness;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver(secret);
    h = await startLinkHarness({ webhook: { secret, operatorUrl: receiver.url } });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });
  const save = (name: string, workflowId: string) => saveHistory(`${WEBHOOK_GENERATION}${name}`, workflowId);

  it('records the scenarios', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const link = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: receiver.url, notifyTransitions: true });
    await link.result();
    await save('link-transitions', link.workflowId);
    await waitFor(() => receiver.events().length >= 4, 'every delivery');
    const [delivered] = receiver.events();
    await save('delivery', `wxamp-webhook/${delivered?.id ?? ''}/operator`);

    await save('campaign', (await runOnePairCampaign(h)).campaignId);
  });
});

/** Runs a campaign of one approving pair to its end: the ids of the campaign and of its link. */
async function runOnePairCampaign(h: LinkHarness): Promise<{ campaignId: string; linkId: string }> {
  const { oa, mp } = approvingPair(h);
  const campaign = await h.links.campaign({ miniProgramAppId: mp, officialAccountAppIds: [oa], ...FAST });
  await campaign.result();
  return { campaignId: campaign.campaignId, linkId: linkWorkflowId(oa, mp) };
}

/** Writes a workflow's history as `temporal workflow show --output json` does: what operators export from a cluster. */
async function saveHistory(name: string, workflowId: string): Promise<void> {
  const cli = await findOrInstallTemporalCli();
  const { stdout } = await run(cli, [
    'workflow',
    'show',
    '--address',
    process.env.TEMPORAL_TEST_ADDRESS ?? '',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
  ]);
  writeFileSync(join(fixtures, `${name}.json`), stdout);
}
