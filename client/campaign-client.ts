/**
 * Starting and following a `linkCampaign` from backend code: the list is checked and deduplicated
 * here, then passed in chunks (the input carries the first {@link MAX_PAIRS_PER_MESSAGE} pairs,
 * `addPairs` signals the rest), so that a 10,000-pair list never rides in one payload.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowType } from '../workflows/contract';
import {
  addPairs,
  cancelCampaign,
  getCampaignState,
  MAX_CAMPAIGN_PAIRS,
  MAX_PAIRS_PER_MESSAGE,
  pauseCampaign,
  resumeCampaign,
  WxCampaignId,
  type CampaignInput,
  type CampaignResult,
  type CampaignState,
  type LinkCampaignWorkflow,
  type PairTuple,
} from '../workflows/campaign/campaign-contract';
import { InputValidationError } from '../workflows/support/input-fields';
import { dedupePairs, normalizeCampaignInput, normalizePairChunk } from '../workflows/campaign/validate-campaign-input';

/** Options of {@link WxampLinkClient.campaign}. */
export interface StartCampaignOptions {
  /** The campaign's workflow id; starting again with the same id joins the running campaign. @default `wxamp-campaign/<uuid>` */
  campaignId?: string;
}

/** A started (or joined) campaign. */
export interface CampaignHandle {
  /** The campaign's workflow id (also the value of `WxCampaignId` on its links). */
  readonly campaignId: string;
  /** True when a campaign with this id was already running and was joined. */
  readonly joined: boolean;
  /** Pairs the caller's list repeated, removed before sending. */
  readonly duplicatesRemoved: number;
  /** The Temporal handle. */
  readonly workflow: WorkflowHandle<LinkCampaignWorkflow>;
  /** `getCampaignState`: counts, pace, ETA, recent problems. */
  state(): Promise<CampaignState>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Starts no more links; those started are cancelled or left as the input's `onCancel` says. */
  cancel(): Promise<void>;
  /** Waits for the campaign to end. */
  result(): Promise<CampaignResult>;
}

/** Every pair an input names, in order (the caller's list may be longer than one message). */
function listedPairs(input: CampaignInput): PairTuple[] {
  if ('pairs' in input) return input.pairs.map((p) => [p?.officialAccountAppId, p?.miniProgramAppId] as PairTuple);
  if ('officialAccountAppIds' in input) return (input.officialAccountAppIds ?? []).map((oa) => [oa, input.miniProgramAppId]);
  return ((input as { miniProgramAppIds?: string[] }).miniProgramAppIds ?? []).map((mp) => [
    (input as { officialAccountAppId: string }).officialAccountAppId,
    mp,
  ]);
}

/** The input without its list of pairs: link options and pace. */
function optionsOf(input: CampaignInput): Record<string, unknown> {
  const {
    pairs: _p,
    officialAccountAppIds: _o,
    miniProgramAppIds: _m,
    miniProgramAppId: _mp,
    officialAccountAppId: _oa,
    ...rest
  } = input as unknown as Record<string, unknown>;
  return rest;
}

/**
 * The messages that carry a campaign: its input (with the first chunk) and the `addPairs` chunks.
 * @throws {@link InputValidationError} naming the field, above {@link MAX_CAMPAIGN_PAIRS} pairs too.
 */
export function campaignMessages(input: CampaignInput): {
  input: CampaignInput;
  chunks: Array<{ index: number; pairs: PairTuple[]; last: boolean }>;
  duplicates: number;
} {
  const listed = listedPairs(input);
  if (listed.length <= MAX_PAIRS_PER_MESSAGE) {
    const normalized = normalizeCampaignInput(input);
    return { input, chunks: [], duplicates: normalized.duplicates };
  }
  const { pairs, duplicates } = dedupePairs(listed);
  if (pairs.length > MAX_CAMPAIGN_PAIRS) {
    throw new InputValidationError(
      'pairs',
      `pairs: ${pairs.length} pairs (after removing ${duplicates} duplicates); a campaign takes at most ${MAX_CAMPAIGN_PAIRS}: split the list into several campaigns`,
    );
  }
  const [first = [], ...rest] = chunked(pairs, MAX_PAIRS_PER_MESSAGE);
  const head = {
    ...optionsOf(input),
    pairs: first.map(([officialAccountAppId, miniProgramAppId]) => ({ officialAccountAppId, miniProgramAppId })),
    morePairs: rest.length > 0,
    duplicatesRemoved: duplicates,
  } as CampaignInput;
  normalizeCampaignInput(head);
  const chunks = rest.map((chunk, i) => normalizePairChunk({ index: i + 1, pairs: chunk, last: i === rest.length - 1 }));
  return { input: head, chunks, duplicates };
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Starts a campaign (or joins the running one with the same id) and sends the rest of its pairs. */
export async function startCampaign(client: Client, taskQueue: string, input: CampaignInput, options: StartCampaignOptions = {}): Promise<CampaignHandle> {
  const messages = campaignMessages(input);
  const campaignId = options.campaignId ?? `wxamp-campaign/${randomUUID()}`;
  const count = messages.chunks.reduce((n, c) => n + c.pairs.length, listedPairs(messages.input).length);
  let joined = false;
  try {
    await client.workflow.start<LinkCampaignWorkflow>(WorkflowType.Campaign, {
      taskQueue,
      workflowId: campaignId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      args: [messages.input],
      typedSearchAttributes: [{ key: WxCampaignId, value: campaignId }],
      staticSummary: `Link campaign: ${count} pairs`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    joined = true;
  }
  const workflow = client.workflow.getHandle<LinkCampaignWorkflow>(campaignId);
  // Chunks are idempotent (by index): sent again after a join, the campaign ignores those it has.
  for (const chunk of messages.chunks) await workflow.signal(addPairs, chunk);
  return { ...getCampaignHandle(client, campaignId), joined, duplicatesRemoved: messages.duplicates };
}

/** The handle of a campaign already started (by id). */
export function getCampaignHandle(client: Client, campaignId: string): Omit<CampaignHandle, 'joined' | 'duplicatesRemoved'> {
  const workflow = client.workflow.getHandle<LinkCampaignWorkflow>(campaignId);
  return {
    campaignId,
    workflow,
    state: () => workflow.query(getCampaignState),
    pause: () => workflow.signal(pauseCampaign),
    resume: () => workflow.signal(resumeCampaign),
    cancel: () => workflow.signal(cancelCampaign),
    result: () => workflow.result(),
  };
}
