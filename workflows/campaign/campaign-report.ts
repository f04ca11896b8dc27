/**
 * The link's side of a campaign: a link started with `campaignId` tells that campaign when it
 * ends (a signal, whatever the ending: an outcome, a failure, a cancellation) and when WeChat
 * answers its send with 45011 or 45009, so that the campaign follows thousands of links without
 * polling any. Links started without `campaignId` do none of this, and histories recorded before
 * it (no `campaign-report-v1` marker) replay unchanged.
 */
import { CancellationScope, ContinueAsNew, getExternalWorkflowHandle, isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import { LinkPhase, WeChatFailureType, type LinkResult } from '../contract';
import { linkReported, paceHint, type LinkReport } from './campaign-contract';
import type { FailureInfo } from '../support/activity-failures';
import type { PairStateKeeper } from '../pair/pair-state-keeper';
import { CAMPAIGN_REPORT_PATCH } from '../patches';
import { iso, nowMs } from '../support/workflow-clock';

/** Sends a signal to the campaign; a campaign that has ended already cannot be told, and that is no failure of the link. */
async function tell(campaignId: string, send: (handle: ReturnType<typeof getExternalWorkflowHandle>) => Promise<void>): Promise<void> {
  try {
    await send(getExternalWorkflowHandle(campaignId));
  } catch (error) {
    if (isCancellation(error)) throw error;
  }
}

/**
 * Runs the link, then reports how it ended to its campaign (if it has one). Continue-as-new is
 * not an ending: the next run reports.
 */
export async function reportingToCampaign(campaignId: string | undefined, tracker: () => PairStateKeeper, run: () => Promise<LinkResult>): Promise<LinkResult> {
  if (campaignId === undefined || !patched(CAMPAIGN_REPORT_PATCH)) return run();
  const workflowId = workflowInfo().workflowId;
  const report = (fields: Omit<LinkReport, 'workflowId' | 'finishedAt'>) =>
    tell(campaignId, (handle) => handle.signal(linkReported, { workflowId, finishedAt: iso(nowMs()), ...fields }));
  watchPace(campaignId, workflowId, tracker());
  let result: LinkResult;
  try {
    result = await run();
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const outcome = isCancellation(error) ? 'cancelled' : 'failed';
    await CancellationScope.nonCancellable(() => report({ outcome, status: tracker().view().status, errmsg: message }));
    throw error;
  }
  await report({
    outcome: result.outcome,
    status: result.status,
    ...(result.errcode !== undefined && { errcode: result.errcode }),
    ...(result.errmsg !== undefined && { errmsg: result.errmsg }),
  });
  return result;
}

/** Tells the campaign, once per kind and run, that the send met WeChat's rate limit or daily quota. */
function watchPace(campaignId: string, workflowId: string, tracker: PairStateKeeper): void {
  const told = new Set<number>();
  tracker.onFailure = (failure: FailureInfo) => {
    if (tracker.phase !== LinkPhase.Sending) return;
    const errcode = failure.type === WeChatFailureType.QuotaExhausted ? 45009 : failure.type === WeChatFailureType.RateLimited ? 45011 : null;
    if (errcode === null || told.has(errcode)) return;
    told.add(errcode);
    void tell(campaignId, (handle) => handle.signal(paceHint, { workflowId, errcode }));
  };
}
