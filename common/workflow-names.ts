/**
 * The names by which callers, the workflows and the activities find workflows: workflow types,
 * default workflow ids, phases and search attributes. Part of the public contract
 * (workflows/contract.ts re-exports them); here so that activities (a campaign starts links) use
 * them without importing workflow code.
 *
 * Imported by workflow code: no Node built-ins, no I/O.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Workflow type names, as registered with Temporal. */
export const WorkflowType = {
  Link: 'linkMiniProgram',
  Unlink: 'unlinkMiniProgram',
  List: 'listLinkedMiniPrograms',
  /**
   * One per official account while links or unlinks wait on it: polls `wxamplinkget` once per
   * interval and hands each answer to every waiting workflow (an addition to DESIGN).
   */
  Watch: 'watchOfficialAccount',
  /** Links many pairs at a quota-aware pace (see workflows/campaign-contract.ts). */
  Campaign: 'linkCampaign',
  /** Posts one webhook event, retrying until the receiver takes it (an addition to DESIGN; docs/webhooks.md). */
  DeliverWebhook: 'deliverWebhook',
} as const;
export type WorkflowType = (typeof WorkflowType)[keyof typeof WorkflowType];

/** How a link workflow ended. See `LinkResult`. */
export const LinkOutcome = {
  /** `wxamplinkget` shows the mini program with status 1. */
  Linked: 'linked',
  /** `wxamplink` answered 89015. */
  AlreadyLinked: 'already_linked',
  /** Status 3: the mini-program admin refused. */
  Rejected: 'rejected',
  /** WeChat refused the request with a definitive errcode (`errcode`, `errmsg` in the result). */
  Refused: 'refused',
  /** The pending entry disappeared before reaching 1 or 3. */
  Expired: 'expired',
  /** `timeout` passed while still waiting. */
  TimedOut: 'timed_out',
} as const;
export type LinkOutcome = (typeof LinkOutcome)[keyof typeof LinkOutcome];

/** Where a link workflow is in its story. */
export const LinkPhase = {
  Sending: 'sending',
  Waiting: 'waiting',
  Done: 'done',
} as const;
export type LinkPhase = (typeof LinkPhase)[keyof typeof LinkPhase];

/** Search attribute: the official account's appid (Keyword). */
export const WxOfficialAccountAppId = defineSearchAttributeKey('WxOfficialAccountAppId', SearchAttributeType.KEYWORD);
/** Search attribute: the mini program's appid (Keyword). */
export const WxMiniProgramAppId = defineSearchAttributeKey('WxMiniProgramAppId', SearchAttributeType.KEYWORD);
/** Search attribute: the current phase or the outcome (Keyword). */
export const WxLinkStatus = defineSearchAttributeKey('WxLinkStatus', SearchAttributeType.KEYWORD);

/** Search attribute: the campaign that started a link (Keyword), also set on the campaign itself. */
export const WxCampaignId = defineSearchAttributeKey('WxCampaignId', SearchAttributeType.KEYWORD);

/** The default workflow id of a link: a second start for the same pair joins the running one. */
export function linkWorkflowId(officialAccountAppId: string, miniProgramAppId: string): string {
  return `wxamp-link/${officialAccountAppId}/${miniProgramAppId}`;
}

/** The default workflow id of an unlink. */
export function unlinkWorkflowId(officialAccountAppId: string, miniProgramAppId: string): string {
  return `wxamp-unlink/${officialAccountAppId}/${miniProgramAppId}`;
}

/** The workflow id of an account's watcher (one per account: the id is what makes it one). */
export function watchWorkflowId(officialAccountAppId: string): string {
  return `wxamp-watch/${officialAccountAppId}`;
}

/** The workflow id of one webhook event's delivery to one target (`operator` or `caller`). */
export function webhookDeliveryWorkflowId(eventId: string, target: 'operator' | 'caller'): string {
  return `wxamp-webhook/${eventId}/${target}`;
}
