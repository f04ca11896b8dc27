/**
 * zod schemas of `linkCampaign`: its input, the `addPairs` signal's chunk, the `getCampaignState`
 * answer and the result, each with a compile-time proof that it matches its type in
 * workflows/campaign/campaign-contract.ts. Strict where the workflow refuses unknown fields, open
 * where the contract may add some (see link-schemas.ts).
 */
import { z } from 'zod';
import {
  CampaignCancelMode,
  MAX_PAIRS_PER_MESSAGE,
  type CampaignInput,
  type CampaignResult,
  type CampaignState,
  type PairChunk,
} from '../../workflows/campaign/campaign-contract';
import { CAMPAIGN_NUMBER_RANGES } from '../../workflows/campaign/validate-campaign-input';
import { appIdField, durationField, historyEventsField, notifyUrlField, wholeNumberField } from './fields';
import type { Assert, SameShape } from './same-shape';

/** The link options and the pace, beside any of the three ways to name the pairs. */
const campaignOptions = {
  notifyUsers: z.boolean().optional(),
  showProfile: z.boolean().optional(),
  pollInterval: durationField.optional(),
  maxPollInterval: durationField.optional(),
  timeout: durationField.optional(),
  notifyUrl: notifyUrlField.optional().meta({ description: "Each link's webhook events, and the campaign's, go here too." }),
  notifyTransitions: z.boolean().optional(),
  maxInFlight: wholeNumberField(CAMPAIGN_NUMBER_RANGES.maxInFlight).optional().meta({ description: 'The most links waiting at once. Default 50.' }),
  startsPerMinute: wholeNumberField(CAMPAIGN_NUMBER_RANGES.startsPerMinute).optional().meta({ description: 'The most links started per minute. Default 60.' }),
  onCancel: z.enum(CampaignCancelMode).optional().meta({ description: "What the cancel signal does with the links started. Default 'leave'." }),
  followInterval: durationField.optional(),
  paceRecovery: durationField.optional(),
  maxHistoryEvents: historyEventsField.optional(),
  morePairs: z.boolean().optional().meta({ description: 'More pairs come by the addPairs signal. Default false.' }),
  duplicatesRemoved: wholeNumberField(CAMPAIGN_NUMBER_RANGES.duplicatesRemoved).optional(),
};

/** A list of appids one message may carry. */
const appIdList = z.array(appIdField).min(1).max(MAX_PAIRS_PER_MESSAGE);

/** Input of `linkCampaign`: the pairs named one of three ways, plus the options. */
export const campaignInputSchema = z
  .union([
    z.strictObject({ miniProgramAppId: appIdField, officialAccountAppIds: appIdList, ...campaignOptions }),
    z.strictObject({ officialAccountAppId: appIdField, miniProgramAppIds: appIdList, ...campaignOptions }),
    z.strictObject({
      pairs: z
        .array(z.strictObject({ officialAccountAppId: appIdField, miniProgramAppId: appIdField }))
        .min(1)
        .max(MAX_PAIRS_PER_MESSAGE),
      ...campaignOptions,
    }),
  ])
  .meta({ title: 'linkCampaign input', description: `The one argument of the linkCampaign workflow: at most ${MAX_PAIRS_PER_MESSAGE} pairs per message.` });
type _CampaignInput = Assert<SameShape<z.input<typeof campaignInputSchema>, CampaignInput>>;

/** A pair in compact form: `[officialAccountAppId, miniProgramAppId]`. */
const pairTuple = z.tuple([z.string(), z.string()]);

/** The argument of the campaign's `addPairs` signal. */
export const addPairsChunkSchema = z
  .strictObject({
    index: wholeNumberField(CAMPAIGN_NUMBER_RANGES.chunkIndex),
    pairs: z
      .array(z.tuple([appIdField, appIdField]))
      .min(1)
      .max(MAX_PAIRS_PER_MESSAGE),
    last: z.boolean(),
  })
  .meta({ title: 'addPairs signal argument', description: 'One chunk of pairs for a linkCampaign started with morePairs: true.' });
type _AddPairsChunk = Assert<SameShape<z.input<typeof addPairsChunkSchema>, PairChunk>>;

const counts = z
  .object({
    total: z.number(),
    duplicates: z.number(),
    pending: z.number(),
    started: z.number(),
    joined: z.number(),
    waiting: z.number(),
    finished: z.number(),
    skipped: z.number(),
    byOutcome: z.record(z.string(), z.number()),
    byErrcode: z.record(z.string(), z.number()),
    skippedByReason: z.record(z.string(), z.number()),
  })
  .meta({ id: 'CampaignCounts', description: 'The counts a campaign keeps.' });

/** What the query `getCampaignState` answers. */
export const campaignStateSchema = z
  .object({
    campaignId: z.string(),
    phase: z.enum(['receiving', 'running', 'paused', 'draining', 'cancelling', 'done']),
    counts,
    pace: z.object({
      maxInFlight: z.number(),
      startsPerMinute: z.number(),
      currentStartsPerMinute: z.number(),
      slowedBy: z.string().nullable(),
      slowedUntil: z.string().nullable(),
    }),
    eta: z.string().nullable(),
    blocked: z.array(z.object({ appId: z.string(), kind: z.enum(['miniProgram', 'officialAccount']), errcode: z.number() })),
    recentProblems: z.array(
      z.object({
        at: z.string(),
        officialAccountAppId: z.string(),
        miniProgramAppId: z.string(),
        outcome: z.string(),
        errcode: z.number().optional(),
        message: z.string(),
      }),
    ),
    startedAt: z.string(),
    runs: z.number(),
  })
  .meta({ title: 'getCampaignState answer', description: 'What the getCampaignState query of a linkCampaign workflow answers.' });
type _CampaignState = Assert<SameShape<z.output<typeof campaignStateSchema>, CampaignState>>;

/** Result of `linkCampaign`. */
export const campaignResultSchema = z
  .object({
    campaignId: z.string(),
    cancelled: z.boolean(),
    counts,
    linksQuery: z.string(),
    skipped: z.array(z.object({ reason: z.string(), pairs: z.array(pairTuple) })),
    joined: z.array(pairTuple),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .meta({ title: 'linkCampaign result' });
type _CampaignResult = Assert<SameShape<z.output<typeof campaignResultSchema>, CampaignResult>>;
