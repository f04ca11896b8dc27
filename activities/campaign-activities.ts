/**
 * What a campaign does through the worker's own Temporal client: start a batch of ordinary
 * `linkMiniProgram` workflows at its pace (joining any already running), look at links that do
 * not report, and cancel the links it started. No WeChat call.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { LinkPhase, linkWorkflowId, WorkflowType, WxCampaignId, WxLinkStatus, WxMiniProgramAppId, WxOfficialAccountAppId } from '../common/workflow-names';
import type { LinkReport, PairTuple } from '../common/campaign-messages';

/** Input of `startCampaignLinks`. */
export interface StartCampaignLinksInput {
  campaignId: string;
  taskQueue: string;
  pairs: PairTuple[];
  /** The link options every link gets. */
  linkOptions: Record<string, unknown>;
  /** Wait this long between two starts (the campaign's pace). */
  spacingMs: number;
}

/**
 * What became of one pair: `started` (a new link that reports to this campaign), `ours` (a
 * retried batch found the link this campaign started, still running), `joined` (a link someone
 * else started, which will not report), or `finished` (a retried batch found this campaign's link
 * already ended: its report).
 */
export type StartedLink = { workflowId: string; how: 'started' | 'ours' | 'joined' } | { workflowId: string; how: 'finished'; report: LinkReport };

/** Builds the campaign activities. */
export function createCampaignActivities() {
  return {
    /**
     * Starts one link per pair, `spacingMs` apart. A running link is joined, never started twice
     * (one invitation); a retried batch first looks at each pair, so that a link that already
     * ended is not started again.
     */
    async startCampaignLinks(input: StartCampaignLinksInput): Promise<StartedLink[]> {
      const context = Context.current();
      const retried = context.info.attempt > 1;
      const results: StartedLink[] = [];
      for (const [i, pair] of input.pairs.entries()) {
        if (i > 0) await context.sleep(input.spacingMs);
        const workflowId = linkWorkflowId(...pair);
        const seen = retried ? await lookAt(context.client, workflowId, input.campaignId) : null;
        results.push(seen ?? (await startOne(context.client, input, pair, workflowId)));
        context.heartbeat(i);
      }
      return results;
    },

    /** The reports of the links among `workflowIds` that have ended (running ones are left out). */
    async followCampaignLinks(input: { workflowIds: string[] }): Promise<LinkReport[]> {
      const { client } = Context.current();
      const reports: LinkReport[] = [];
      for (const workflowId of input.workflowIds) {
        const report = await endedReport(client, workflowId);
        if (report) reports.push(report);
        Context.current().heartbeat();
      }
      return reports;
    },

    /** Cancels the links a cancelled campaign started (ended ones are skipped). */
    async cancelCampaignLinks(input: { workflowIds: string[] }): Promise<void> {
      const { client } = Context.current();
      for (const workflowId of input.workflowIds) {
        try {
          await client.workflow.getHandle(workflowId).cancel();
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
        Context.current().heartbeat();
      }
    },
  };
}

async function startOne(client: Client, input: StartCampaignLinksInput, [oa, mp]: PairTuple, workflowId: string): Promise<StartedLink> {
  try {
    await client.workflow.start(WorkflowType.Link, {
      taskQueue: input.taskQueue,
      workflowId,
      args: [{ ...input.linkOptions, officialAccountAppId: oa, miniProgramAppId: mp, campaignId: input.campaignId }],
      typedSearchAttributes: [
        { key: WxOfficialAccountAppId, value: oa },
        { key: WxMiniProgramAppId, value: mp },
        { key: WxLinkStatus, value: LinkPhase.Sending },
        { key: WxCampaignId, value: input.campaignId },
      ],
      staticSummary: `Link mini program ${mp} to official account ${oa} (campaign ${input.campaignId})`,
    });
    return { workflowId, how: 'started' };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // Running already: join it. It may be this campaign's own (a batch retried after a crash).
    return (await lookAt(client, workflowId, input.campaignId)) ?? { workflowId, how: 'joined' };
  }
}

/** What a retried batch finds for a pair: this campaign's link (running or ended), someone else's running one, or nothing. */
async function lookAt(client: Client, workflowId: string, campaignId: string): Promise<StartedLink | null> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  const ours = description.typedSearchAttributes.get(WxCampaignId) === campaignId;
  const running = description.status.name === 'RUNNING';
  if (running) return { workflowId, how: ours ? 'ours' : 'joined' };
  if (!ours) return null;
  const report = await endedReport(client, workflowId);
  return report ? { workflowId, how: 'finished', report } : { workflowId, how: 'ours' };
}

/** The report of an ended link, from its latest run; `null` while it runs. */
async function endedReport(client: Client, workflowId: string): Promise<LinkReport | null> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      return { workflowId, outcome: 'failed', status: null, errmsg: 'no such workflow', finishedAt: new Date().toISOString() };
    throw error;
  }
  const finishedAt = (description.closeTime ?? new Date()).toISOString();
  switch (description.status.name) {
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
    case 'PAUSED':
      return null;
    case 'COMPLETED': {
      // A link's result (workflows/contract.ts's LinkResult): only what the report keeps is read.
      const result = (await handle.result()) as Pick<LinkReport, 'outcome' | 'status' | 'errcode' | 'errmsg'>;
      return {
        workflowId,
        outcome: result.outcome,
        status: result.status,
        finishedAt,
        ...(result.errcode !== undefined && { errcode: result.errcode }),
        ...(result.errmsg !== undefined && { errmsg: result.errmsg }),
      };
    }
    case 'CANCELLED':
      return { workflowId, outcome: 'cancelled', status: null, finishedAt };
    case 'TERMINATED':
      return { workflowId, outcome: 'terminated', status: null, finishedAt };
    default:
      return { workflowId, outcome: 'failed', status: null, errmsg: `the link workflow ${description.status.name.toLowerCase()}`, finishedAt };
  }
}
