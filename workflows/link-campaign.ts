/**
 * `linkCampaign`: link many pairs, each as an ordinary `linkMiniProgram` with its usual id, at a
 * quota-aware pace. Links are started in small batches by an activity (joining any already
 * running) and report back by signal when they end, so the campaign follows thousands of links
 * without polling them; it looks only at joined links (which do not report) and, now and then, at
 * all links in flight. The run continues as new before its history grows long.
 */
import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { campaignLinksQuery, CampaignCancelMode, type CampaignInput, type CampaignResult } from './campaign/campaign-contract';
import { CampaignStateKeeper, type CampaignCarryOver } from './campaign/campaign-state-keeper';
import { batchSize, noteBatch, recover, spacingMs } from './campaign/campaign-pace';
import { historyIsLong } from './support/history-budget';
import { inputOrFail } from './support/input-or-fail';
import { normalizeCampaignInput, type NormalizedCampaignInput } from './campaign/validate-campaign-input';
import { iso, nowMs } from './support/workflow-clock';
import { WebhookEventType } from '../common/webhook-event';
import { CAMPAIGN_WEBHOOK_PATCH } from './patches';
import { operatorPolicyOrNull } from './support/read-operator-policy';
import { failUnlessNotifyUrlAllowed, WebhookNotifier } from './webhook/webhook-notifier';

const { startCampaignLinks, followCampaignLinks, cancelCampaignLinks } = proxyActivities<Activities>({
  // A batch spreads over at most a few seconds (or one spacing at a very slow pace).
  startToCloseTimeout: '5m',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Every 10th look at the links in flight looks at all of them, not only the joined ones. */
const FULL_LOOK_EVERY = 10;

/** Links many mini programs and official accounts. See `docs/campaigns.md`. */
export async function linkCampaign(rawInput: CampaignInput, carried?: CampaignCarryOver): Promise<CampaignResult> {
  const input = inputOrFail(normalizeCampaignInput, rawInput);
  const session = new CampaignStateKeeper(input, carried);
  // A notifyUrl the worker would refuse fails the campaign before it starts any link.
  if (carried === undefined && input.webhook.notifyUrl !== null && patched(CAMPAIGN_WEBHOOK_PATCH)) {
    failUnlessNotifyUrlAllowed(input.webhook, await operatorPolicyOrNull(CAMPAIGN_WEBHOOK_PATCH));
  }
  let nextFollowMs = nowMs() + input.followIntervalMs;

  for (;;) {
    session.woken = false;
    if (historyIsLong(input.maxHistoryEvents)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof linkCampaign>(rawInput, session.carryOver());
    }
    await carryOutCancel(session, input);
    const { book, controls, pace } = session;
    if (session.sealed && book.pending === 0 && book.waiting === 0) break;
    if (recover(pace, input.paceRecoveryMs, nowMs())) session.publish();

    const canStart = !controls.paused && !controls.cancelRequested && book.pending > 0 && book.waiting < pace.maxInFlight;
    if (canStart && nowMs() >= pace.nextStartAtMs) {
      await startBatch(session, input);
      continue;
    }
    if (book.waiting > 0 && nowMs() >= nextFollowMs) {
      await follow(session);
      nextFollowMs = nowMs() + input.followIntervalMs;
      continue;
    }
    const wakeAt = Math.min(canStart ? pace.nextStartAtMs : Infinity, book.waiting > 0 ? nextFollowMs : Infinity, pace.slowedUntilMs ?? Infinity);
    const summary = canStart ? 'next start' : book.waiting > 0 ? 'links waiting' : 'waiting for pairs or resume';
    if (wakeAt === Infinity) await condition(() => session.woken);
    else await condition(() => session.woken, Math.max(1, wakeAt - nowMs()), { summary });
  }

  session.publish();
  await condition(allHandlersFinished);
  const { state } = session.book;
  const result: CampaignResult = {
    campaignId: session.campaignId,
    cancelled: session.controls.cancelRequested,
    counts: session.view().counts,
    linksQuery: campaignLinksQuery(session.campaignId),
    skipped: state.skipped,
    joined: state.joined,
    startedAt: iso(session.startedAtMs),
    finishedAt: iso(nowMs()),
  };
  await announceEnd(input, result);
  return result;
}

/** Posts `campaign.finished` to the webhook receivers (campaigns recorded before webhooks skip this). */
async function announceEnd(input: NormalizedCampaignInput, result: CampaignResult): Promise<void> {
  if (!patched(CAMPAIGN_WEBHOOK_PATCH)) return;
  const policy = await operatorPolicyOrNull(CAMPAIGN_WEBHOOK_PATCH);
  await new WebhookNotifier(input.webhook, () => policy).announce({
    type: WebhookEventType.CampaignFinished,
    pair: null,
    outcome: result.cancelled ? 'cancelled' : 'finished',
    status: null,
    errcode: null,
    transitions: [],
    counts: { total: result.counts.total, finished: result.counts.finished, skipped: result.counts.skipped, byOutcome: result.counts.byOutcome },
  });
}

/** Starts the next batch at the pace in force; links are counted in flight before the start. */
async function startBatch(session: CampaignStateKeeper, input: NormalizedCampaignInput): Promise<void> {
  const { book, pace } = session;
  const pairs = book.take(batchSize(pace, pace.maxInFlight - book.waiting, book.pending));
  const spacing = spacingMs(pace);
  noteBatch(pace, pairs.length, nowMs());
  session.publish();
  const started = await startCampaignLinks({
    campaignId: session.campaignId,
    taskQueue: workflowInfo().taskQueue,
    pairs,
    linkOptions: input.linkOptions,
    spacingMs: spacing,
  });
  for (const link of started) {
    if (link.how === 'finished') book.finish(link.report);
    else book.started(link.workflowId, link.how);
  }
  session.publish();
}

/** Looks at the joined links (and, every 10th time, at all links in flight) and counts those that ended. */
async function follow(session: CampaignStateKeeper): Promise<void> {
  const { book, controls } = session;
  const all = controls.follows % FULL_LOOK_EVERY === FULL_LOOK_EVERY - 1;
  controls.follows++;
  const workflowIds = book.inFlightIds(!all);
  if (workflowIds.length === 0) return;
  for (const report of await followCampaignLinks({ workflowIds })) book.finish(report);
  session.publish();
}

/** Once asked: skips the pairs not started, and cancels or leaves the links started. */
async function carryOutCancel(session: CampaignStateKeeper, input: NormalizedCampaignInput): Promise<void> {
  const { book, controls } = session;
  if (!controls.cancelRequested || controls.cancelDone) return;
  controls.cancelDone = true;
  book.skipRest('campaign cancelled');
  if (input.onCancel === CampaignCancelMode.CancelLinks) {
    // The links report `cancelled` as they end; joined links are someone else's and are left.
    const own = book.inFlightIds(false).filter((id) => book.isOwn(id));
    if (own.length > 0) await cancelCampaignLinks({ workflowIds: own });
    for (const id of book.inFlightIds(true)) book.leave(id);
  } else {
    book.leaveRunning();
  }
  session.publish();
}
