/**
 * The typed library backend code imports to link mini programs: start (or join) a link, read its
 * state, nudge it to poll, await or cancel it. Input is checked before anything is started.
 */
import { WorkflowIdConflictPolicy, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  DEFAULT_TASK_QUEUE,
  getLinkState,
  LinkPhase,
  linkWorkflowId,
  pollNow,
  WorkflowType,
  WxLinkStatus,
  WxMiniProgramAppId,
  WxOfficialAccountAppId,
  type LinkInput,
  type LinkResult,
  type LinkState,
} from '../workflows/contract';
import type { linkMiniProgram } from '../workflows';
import { normalizeLinkInput } from '../workflows/validate-input';

/** A handle on one link workflow. */
export type LinkHandle = WorkflowHandle<typeof linkMiniProgram>;
/** The handle {@link WxampLinkClient.link} returns: its `firstExecutionRunId` is the run it started or joined. */
export type StartedLinkHandle = WorkflowHandleWithFirstExecutionRunId<typeof linkMiniProgram>;

/** Options of {@link WxampLinkClient}. */
export interface WxampLinkClientOptions {
  /** A connected Temporal client. */
  client: Client;
  /** The worker's task queue. @default 'wxamp-link' */
  taskQueue?: string;
}

/** Options of {@link WxampLinkClient.link}. */
export interface StartLinkOptions {
  /** Override the workflow id. @default `wxamp-link/<officialAccountAppId>/<miniProgramAppId>` */
  workflowId?: string;
}

/** Starts and follows link workflows. */
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
   * invitation, never two). Resolves once Temporal has accepted the workflow; use
   * {@link WxampLinkClient.result} or the handle's `result()` to wait for the outcome.
   * @throws {@link InputValidationError} naming the field, before anything is started.
   */
  async link(input: LinkInput, options: StartLinkOptions = {}): Promise<StartedLinkHandle> {
    const checked = normalizeLinkInput(input);
    const oa = checked.officialAccountAppId;
    const mp = checked.miniProgramAppId;
    return this.client.workflow.start<typeof linkMiniProgram>(WorkflowType.Link, {
      taskQueue: this.taskQueue,
      workflowId: options.workflowId ?? linkWorkflowId(oa, mp),
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      // The workflow sets these itself too; setting them at start makes them searchable at once.
      typedSearchAttributes: [
        { key: WxOfficialAccountAppId, value: oa },
        { key: WxMiniProgramAppId, value: mp },
        { key: WxLinkStatus, value: LinkPhase.Sending },
      ],
      staticSummary: `Link mini program ${mp} to official account ${oa}`,
      staticDetails: [
        `notify_users: ${checked.notifyUsers ? '1' : '0'}, show_profile: ${checked.showProfile ? '1' : '0'}`,
        `polls every ${checked.pollIntervalMs} ms, backing off to ${checked.maxPollIntervalMs} ms; gives up after ${checked.timeoutMs} ms`,
        checked.miniProgramUsername ? `username ${checked.miniProgramUsername}` : 'username not given: matched by appid or by the new entry',
      ].join('\n\n'),
    });
  }

  /** The handle of the link workflow of a pair (the latest run). */
  getHandle(officialAccountAppId: string, miniProgramAppId: string): LinkHandle {
    return this.client.workflow.getHandle<typeof linkMiniProgram>(linkWorkflowId(officialAccountAppId, miniProgramAppId));
  }

  /** The current state of a pair's link workflow (also after it ended). */
  getState(officialAccountAppId: string, miniProgramAppId: string): Promise<LinkState> {
    return this.getHandle(officialAccountAppId, miniProgramAppId).query(getLinkState);
  }

  /** Asks the link workflow to poll `wxamplinkget` at once. */
  pollNow(officialAccountAppId: string, miniProgramAppId: string): Promise<void> {
    return this.getHandle(officialAccountAppId, miniProgramAppId).signal(pollNow);
  }

  /** Waits for the outcome of a pair's link workflow. */
  result(officialAccountAppId: string, miniProgramAppId: string): Promise<LinkResult> {
    return this.getHandle(officialAccountAppId, miniProgramAppId).result();
  }

  /** Cancels a pair's link workflow: it stops waiting and ends as cancelled. */
  async cancel(officialAccountAppId: string, miniProgramAppId: string): Promise<void> {
    await this.getHandle(officialAccountAppId, miniProgramAppId).cancel();
  }
}
