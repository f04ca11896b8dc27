/**
 * The typed library backend code imports to link and unlink mini programs: start (or join) a
 * workflow, read its state, nudge it to poll, await or cancel it, list an account's mini
 * programs, and find workflows by their search attributes. Input is checked before anything starts.
 */
import {
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import {
  DEFAULT_TASK_QUEUE,
  getLinkState,
  LinkPhase,
  linkWorkflowId,
  pollNow,
  unlinkWorkflowId,
  WorkflowType,
  WxLinkStatus,
  WxMiniProgramAppId,
  WxOfficialAccountAppId,
  type LinkedMiniProgram,
  type LinkInput,
  type LinkMiniProgramWorkflow,
  type LinkState,
  type ListInput,
  type ListLinkedMiniProgramsWorkflow,
  type PairResult,
  type UnlinkInput,
  type UnlinkMiniProgramWorkflow,
} from '../workflows/contract';
import { normalizeLinkInput, normalizeListInput, normalizeUnlinkInput, type NormalizedWaitInput } from '../workflows/support/validate-input';
import { getCampaignHandle, startCampaign, type CampaignHandle, type StartCampaignOptions } from './campaign-client';
import { campaignReport, type CampaignReportRow } from './campaign-report';
import type { CampaignInput } from '../workflows/campaign/campaign-contract';
import { ConflictingWorkflowError } from './conflicting-workflow-error';
import { findPairWorkflows, type FindLinksFilter, type FoundWorkflow } from './find-links';
import { withWatcherView } from './with-watcher-view';

/** Which of the two waiting workflows: a link or an unlink. */
export type PairKind = 'link' | 'unlink';

/** A handle on one link workflow. */
export type LinkHandle = WorkflowHandle<LinkMiniProgramWorkflow>;
/** The handle {@link WxampLinkClient.link} returns: its `firstExecutionRunId` is the run it started or joined. */
export type StartedLinkHandle = WorkflowHandleWithFirstExecutionRunId<LinkMiniProgramWorkflow>;
/** The handle {@link WxampLinkClient.unlink} returns. */
export type StartedUnlinkHandle = WorkflowHandleWithFirstExecutionRunId<UnlinkMiniProgramWorkflow>;

/** Options of {@link WxampLinkClient}. */
export interface WxampLinkClientOptions {
  /**
   * A connected Temporal client. When the worker encrypts payloads (`WXAMP_PAYLOAD_KEYS`), build
   * it with the same keys: `new Client({ connection, namespace, dataConverter: dataConverterFromEnv() })`.
   */
  client: Client;
  /** The worker's task queue. @default 'wxamp-link' */
  taskQueue?: string;
}

/** Options of {@link WxampLinkClient.link} and {@link WxampLinkClient.unlink}. */
export interface StartLinkOptions {
  /** Override the workflow id. @default `wxamp-link/<oa>/<mp>` (`wxamp-unlink/…` for an unlink) */
  workflowId?: string;
}

/** Starts and follows link and unlink workflows. */
export class WxampLinkClient {
  private readonly client: Client;
  /** The task queue workflows are started on. */
  readonly taskQueue: string;

  constructor(options: WxampLinkClientOptions) {
    this.client = options.client;
    this.taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  }

  /**
   * Starts linking a mini program, or joins the link already running for the same pair (one
   * invitation, never two). Resolves once Temporal has accepted the workflow; await the outcome
   * with the handle's `result()` or {@link WxampLinkClient.result}.
   * @throws {@link InputValidationError} naming the field, before anything is started.
   * @throws {@link ConflictingWorkflowError} while an unlink of the same pair runs.
   */
  async link(input: LinkInput, options: StartLinkOptions = {}): Promise<StartedLinkHandle> {
    const checked = normalizeLinkInput(input);
    await this.refuseIfRunning(unlinkWorkflowId(checked.officialAccountAppId, checked.miniProgramAppId), 'an unlink');
    return this.client.workflow.start<LinkMiniProgramWorkflow>(WorkflowType.Link, {
      ...this.pairStartOptions(checked, options.workflowId ?? linkWorkflowId(checked.officialAccountAppId, checked.miniProgramAppId)),
      args: [input],
      staticSummary: `Link mini program ${checked.miniProgramAppId} to official account ${checked.officialAccountAppId}`,
      staticDetails: [`notify_users: ${checked.notifyUsers ? '1' : '0'}, show_profile: ${checked.showProfile ? '1' : '0'}`, describeWaiting(checked)].join(
        '\n\n',
      ),
    });
  }

  /**
   * Starts unlinking a mini program (or joins the unlink running for the pair). The workflow sends
   * `wxampunlink` and waits until the entry is gone: the official-account admin must confirm.
   * @throws {@link InputValidationError} naming the field, before anything is started.
   * @throws {@link ConflictingWorkflowError} while a link of the same pair runs.
   */
  async unlink(input: UnlinkInput, options: StartLinkOptions = {}): Promise<StartedUnlinkHandle> {
    const checked = normalizeUnlinkInput(input);
    await this.refuseIfRunning(linkWorkflowId(checked.officialAccountAppId, checked.miniProgramAppId), 'a link');
    return this.client.workflow.start<UnlinkMiniProgramWorkflow>(WorkflowType.Unlink, {
      ...this.pairStartOptions(checked, options.workflowId ?? unlinkWorkflowId(checked.officialAccountAppId, checked.miniProgramAppId)),
      args: [input],
      staticSummary: `Unlink mini program ${checked.miniProgramAppId} from official account ${checked.officialAccountAppId}`,
      staticDetails: describeWaiting(checked),
    });
  }

  /**
   * Lists every entry of an official account's `wxamplinkget`, every field under WeChat's own
   * name, plus `statusMeaning`. Runs the `listLinkedMiniPrograms` workflow (lists asked for at
   * the same moment share one run) and waits for it.
   */
  async list(officialAccountAppId: string, options: Omit<ListInput, 'officialAccountAppId'> = {}): Promise<LinkedMiniProgram[]> {
    const input: ListInput = { officialAccountAppId, ...options };
    const checked = normalizeListInput(input);
    const handle = await this.client.workflow.start<ListLinkedMiniProgramsWorkflow>(WorkflowType.List, {
      taskQueue: this.taskQueue,
      workflowId: `wxamp-list/${officialAccountAppId}`,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [input],
      typedSearchAttributes: [{ key: WxOfficialAccountAppId, value: officialAccountAppId }],
      staticSummary: `List the mini programs of official account ${officialAccountAppId}`,
      // A list that no worker picks up (a wrong task queue) must not stay open for later lists
      // of the account to join: it ends shortly after its own retry budget.
      workflowExecutionTimeout: checked.timeoutMs + 60_000,
    });
    return (await handle.result()).items;
  }

  /**
   * Starts a `linkCampaign` (or joins the running one with the same `campaignId`): many pairs
   * linked at a quota-aware pace. Lists above 1,000 pairs are passed in chunks. See docs/campaigns.md.
   * @throws {@link InputValidationError} naming the field, before anything is started.
   */
  campaign(input: CampaignInput, options: StartCampaignOptions = {}): Promise<CampaignHandle> {
    return startCampaign(this.client, this.taskQueue, input, options);
  }

  /** The handle of a campaign started earlier, by its id. */
  getCampaign(campaignId: string): Omit<CampaignHandle, 'joined' | 'duplicatesRemoved'> {
    return getCampaignHandle(this.client, campaignId);
  }

  /** One row per pair of a campaign: outcome, status, errcode, finished at (see {@link campaignReport}). */
  campaignReport(campaignId: string): Promise<CampaignReportRow[]> {
    return campaignReport(this.client, campaignId);
  }

  /** The handle of a pair's link (or unlink) workflow: its latest run. */
  getHandle(
    officialAccountAppId: string,
    miniProgramAppId: string,
    kind: PairKind = 'link',
  ): WorkflowHandle<LinkMiniProgramWorkflow | UnlinkMiniProgramWorkflow> {
    const id = kind === 'link' ? linkWorkflowId(officialAccountAppId, miniProgramAppId) : unlinkWorkflowId(officialAccountAppId, miniProgramAppId);
    return this.client.workflow.getHandle(id);
  }

  /**
   * The current state of a pair's link (or unlink) workflow, also after it ended. While it waits,
   * `polls` and `nextPollAt` are the live figures of the account watcher that polls for it.
   */
  async getState(officialAccountAppId: string, miniProgramAppId: string, kind: PairKind = 'link'): Promise<LinkState> {
    const state = await this.getHandle(officialAccountAppId, miniProgramAppId, kind).query(getLinkState);
    return withWatcherView(this.client, state);
  }

  /** Asks a pair's link (or unlink) workflow to poll `wxamplinkget` at once. */
  pollNow(officialAccountAppId: string, miniProgramAppId: string, kind: PairKind = 'link'): Promise<void> {
    return this.getHandle(officialAccountAppId, miniProgramAppId, kind).signal(pollNow);
  }

  /** Waits for the outcome of a pair's link (or unlink) workflow. */
  result(officialAccountAppId: string, miniProgramAppId: string, kind: PairKind = 'link'): Promise<PairResult<string>> {
    return this.getHandle(officialAccountAppId, miniProgramAppId, kind).result();
  }

  /** Cancels a pair's link (or unlink) workflow: it stops waiting and ends as cancelled. */
  async cancel(officialAccountAppId: string, miniProgramAppId: string, kind: PairKind = 'link'): Promise<void> {
    await this.getHandle(officialAccountAppId, miniProgramAppId, kind).cancel();
  }

  /**
   * Finds link and unlink workflows by their search attributes (a visibility query), newest
   * first: e.g. `{ status: 'waiting' }` or `{ officialAccountAppId, status: 'refused' }`.
   */
  findLinks(filter: FindLinksFilter = {}): Promise<FoundWorkflow[]> {
    return findPairWorkflows(this.client, filter);
  }

  private pairStartOptions(checked: NormalizedWaitInput, workflowId: string) {
    return {
      taskQueue: this.taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      // The workflow sets these itself too; setting them at start makes them searchable at once.
      typedSearchAttributes: [
        { key: WxOfficialAccountAppId, value: checked.officialAccountAppId },
        { key: WxMiniProgramAppId, value: checked.miniProgramAppId },
        { key: WxLinkStatus, value: LinkPhase.Sending },
      ],
    };
  }

  private async refuseIfRunning(workflowId: string, what: string): Promise<void> {
    try {
      const description = await this.client.workflow.getHandle(workflowId).describe();
      if (description.status.name === 'RUNNING') throw new ConflictingWorkflowError(workflowId, what);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}

function describeWaiting(checked: NormalizedWaitInput): string {
  return [
    `polls every ${checked.pollIntervalMs} ms, backing off to ${checked.maxPollIntervalMs} ms; gives up after ${checked.timeoutMs} ms`,
    checked.miniProgramUsername ? `username ${checked.miniProgramUsername}` : 'username not given: matched by appid (or by the new entry)',
  ].join('\n\n');
}
