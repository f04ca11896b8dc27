/**
 * The public names of `linkCampaign` (see DESIGN, "Workflow linkCampaign"): its input, state,
 * result, query and signals, the `WxCampaignId` search attribute, and the report a link sends its
 * campaign when it ends (an addition). The client library and the workflows both import it.
 *
 * This module must stay importable from the workflow sandbox: no Node built-ins, no I/O.
 */
import type { Duration } from '@temporalio/common';
export { WxCampaignId } from '../../common/workflow-names';
export type { LinkReport, PairTuple } from '../../common/campaign-messages';
import type { LinkReport, PairTuple } from '../../common/campaign-messages';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LinkOutcome } from '../contract';

/** A pair a campaign links: the account whose token is used, and the mini program invited. */
export interface CampaignPair {
  officialAccountAppId: string;
  miniProgramAppId: string;
}

/** The most pairs one campaign takes, after duplicates are removed (see docs/campaigns.md). */
export const MAX_CAMPAIGN_PAIRS = 10_000;
/** The most pairs one message (the input, or one `addPairs` signal) carries; the library splits bigger lists. */
export const MAX_PAIRS_PER_MESSAGE = 1_000;

/** What the campaign does with the links it started when it is cancelled. */
export const CampaignCancelMode = {
  /** Leave them running: each goes on waiting for its admins. */
  Leave: 'leave',
  /** Cancel them too (links it joined are always left alone). */
  CancelLinks: 'cancel-links',
} as const;
export type CampaignCancelMode = (typeof CampaignCancelMode)[keyof typeof CampaignCancelMode];

/** The link options a campaign passes to each `linkMiniProgram` (see {@link LinkInput}). */
export interface CampaignLinkOptions {
  /** @default false */
  notifyUsers?: boolean;
  /** @default false */
  showProfile?: boolean;
  /** @default '15s' */
  pollInterval?: Duration;
  /** @default '5m' */
  maxPollInterval?: Duration;
  /** @default '7d' */
  timeout?: Duration;
  /** Each link's events, and the campaign's `campaign.finished`, go here too (see `WebhookOptions`). */
  notifyUrl?: string;
  /** Each link posts its status changes too. @default false */
  notifyTransitions?: boolean;
}

/** The pace and behaviour of a campaign. */
export interface CampaignPaceOptions {
  /** The most links waiting at once. @default 50 */
  maxInFlight?: number;
  /** The most links started per minute (a 45011 or 45009 lowers it for a while). @default 60 */
  startsPerMinute?: number;
  /** What `cancel` does with the links already started. @default 'leave' */
  onCancel?: CampaignCancelMode;
  /** How often links that cannot report (joined ones) are looked at; every 10th look checks all. @default '1m' */
  followInterval?: Duration;
  /** How long a slowdown after 45011 lasts before the pace doubles back (45009: 12 times this). @default '5m' */
  paceRecovery?: Duration;
  /** Continue as new once a run's history has this many events. @default 4000 */
  maxHistoryEvents?: number;
  /**
   * More pairs come by the `addPairs` signal (how the library passes lists above
   * {@link MAX_PAIRS_PER_MESSAGE}); the campaign ends only after the chunk marked `last`. @default false
   */
  morePairs?: boolean;
  /** Duplicates the caller already removed from the whole list, added to the campaign's count. @default 0 */
  duplicatesRemoved?: number;
}

/** Input of `linkCampaign`: one of the three ways to name the pairs, plus link options and pace. */
export type CampaignInput = (
  { miniProgramAppId: string; officialAccountAppIds: string[] } | { officialAccountAppId: string; miniProgramAppIds: string[] } | { pairs: CampaignPair[] }
) &
  CampaignLinkOptions &
  CampaignPaceOptions;

/** One chunk of pairs sent with {@link addPairs}; chunks are numbered from 1 (the input is chunk 0). */
export interface PairChunk {
  index: number;
  pairs: PairTuple[];
  /** This is the last chunk: the campaign may end once every pair is done. */
  last: boolean;
}

/** How one pair of a campaign ended (`skipped`: never started, see `reason`). */
export type CampaignPairOutcome = LinkOutcome | 'skipped' | 'cancelled' | 'failed' | 'terminated' | 'left_running';

/** A link that met a rate limit (45011) or a spent daily quota (45009) tells its campaign. */
export interface PaceHint {
  workflowId: string;
  errcode: 45011 | 45009;
}

/** A recent problem a campaign shows (newest last, a few kept). */
export interface CampaignProblem {
  at: string;
  officialAccountAppId: string;
  miniProgramAppId: string;
  outcome: string;
  errcode?: number;
  message: string;
}

/** The pace in force. */
export interface CampaignPace {
  maxInFlight: number;
  /** The configured rate. */
  startsPerMinute: number;
  /** The rate in force now (lower after a 45011 or 45009). */
  currentStartsPerMinute: number;
  /** Why it is lower, or `null`. */
  slowedBy: string | null;
  /** ISO-8601 time the rate next doubles back, or `null`. */
  slowedUntil: string | null;
}

/** Counts a campaign keeps. */
export interface CampaignCounts {
  /** Pairs received, duplicates removed. */
  total: number;
  duplicates: number;
  pending: number;
  /** Started by this campaign (its own `linkMiniProgram` runs). */
  started: number;
  /** Already running when the campaign reached them: followed, not started again. */
  joined: number;
  /** Started or joined and not ended yet. */
  waiting: number;
  finished: number;
  skipped: number;
  /** Finished and skipped pairs per outcome (`linked`, `refused`, `skipped`, …). */
  byOutcome: Record<string, number>;
  /** Refusals per errcode. */
  byErrcode: Record<string, number>;
  /** Skipped pairs per reason. */
  skippedByReason: Record<string, number>;
}

/** What `getCampaignState` answers. */
export interface CampaignState {
  campaignId: string;
  phase: 'receiving' | 'running' | 'paused' | 'draining' | 'cancelling' | 'done';
  counts: CampaignCounts;
  pace: CampaignPace;
  /** ISO-8601 estimate of when the last link starts, from the pace in force; `null` when unknown. */
  eta: string | null;
  /** Mini programs and accounts no further link is started for, with the errcode. */
  blocked: Array<{ appId: string; kind: 'miniProgram' | 'officialAccount'; errcode: number }>;
  recentProblems: CampaignProblem[];
  startedAt: string;
  /** How many runs (continue-as-new) so far. */
  runs: number;
}

/** Result of `linkCampaign`. */
export interface CampaignResult {
  campaignId: string;
  cancelled: boolean;
  counts: CampaignCounts;
  /**
   * Where each pair's outcome is: every link it started or joined is the workflow
   * `wxamp-link/<oa>/<mp>`; those it started carry `WxCampaignId = '<campaignId>'`.
   */
  linksQuery: string;
  /** Pairs never started, grouped by reason. */
  skipped: Array<{ reason: string; pairs: PairTuple[] }>;
  /** Links joined (started by someone else), whose outcome is in their own workflow. */
  joined: PairTuple[];
  startedAt: string;
  finishedAt: string;
}

/** How callers start `linkCampaign` (see `LinkMiniProgramWorkflow` in contract.ts). */
export type LinkCampaignWorkflow = (input: CampaignInput) => Promise<CampaignResult>;

/** Query: the campaign's counts, pace, ETA and recent problems. */
export const getCampaignState = defineQuery<CampaignState>('getCampaignState');
/** Signal: start no more links until `resume` (links already waiting go on). */
export const pauseCampaign = defineSignal('pause');
/** Signal: start links again. */
export const resumeCampaign = defineSignal('resume');
/** Signal: start no more links, skip the rest; links started are cancelled or left as the input says. */
export const cancelCampaign = defineSignal('cancel');
/** Signal: more pairs, for lists above {@link MAX_PAIRS_PER_MESSAGE}. */
export const addPairs = defineSignal<[PairChunk]>('addPairs');
/** Signal (from a link): it ended. */
export const linkReported = defineSignal<[LinkReport]>('linkReported');
/** Signal (from a link): WeChat answered its send with 45011 or 45009. */
export const paceHint = defineSignal<[PaceHint]>('paceHint');

/** The visibility query that lists every link a campaign started. */
export function campaignLinksQuery(campaignId: string): string {
  return `WxCampaignId = '${campaignId.replace(/'/g, "\\'")}' AND WorkflowType = 'linkMiniProgram'`;
}
