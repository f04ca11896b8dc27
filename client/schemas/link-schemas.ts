/**
 * zod schemas of the link, unlink and list workflows' inputs and results, and of the `getLinkState`
 * answer, each with a compile-time proof that it matches its type in workflows/contract.ts.
 * Inputs are strict objects (the workflows refuse unknown fields); results and answers are open
 * ones, because the contract grows by adding fields, and a reader must not break when it does.
 */
import { z } from 'zod';
import {
  LinkOutcome,
  LinkPhase,
  UnlinkOutcome,
  type LinkInput,
  type LinkResult,
  type LinkState,
  type ListInput,
  type ListResult,
  type UnlinkInput,
  type UnlinkResult,
} from '../../workflows/contract';
import { MAX_CAMPAIGN_ID_LENGTH, MAX_TIMEOUT_MS, MIN_POLL_INTERVAL_MS } from '../../workflows/support/validate-input';
import { appIdField, durationField, historyEventsField, notifyUrlField, usernameField } from './fields';
import type { Assert, SameShape } from './same-shape';

const DAY_MS = 24 * 3600 * 1000;

/** The fields links and unlinks share. */
const waitingFields = {
  officialAccountAppId: appIdField.meta({ description: 'The authorizer official account whose access token is used.' }),
  miniProgramAppId: appIdField.meta({ description: 'The mini program invited (the `appid` sent to WeChat).' }),
  miniProgramUsername: usernameField.optional(),
  pollInterval: durationField.optional().meta({ description: `First wait between polls; at least ${MIN_POLL_INTERVAL_MS}ms. Default '15s'.` }),
  maxPollInterval: durationField.optional().meta({ description: "The polls back off up to this; not shorter than pollInterval. Default '5m'." }),
  timeout: durationField.optional().meta({ description: `Give up after this long; at most ${MAX_TIMEOUT_MS / DAY_MS}d. Default '7d'.` }),
  maxHistoryEvents: historyEventsField.optional().meta({ description: 'Continue as new once a run has this many history events. Default 4000.' }),
  notifyUrl: notifyUrlField.optional(),
  notifyTransitions: z.boolean().optional().meta({ description: 'Post every status change too, not only the outcome. Default false.' }),
};

/** Input of `linkMiniProgram`. */
export const linkInputSchema = z
  .strictObject({
    ...waitingFields,
    notifyUsers: z.boolean().optional().meta({ description: "notify_users: notify the account's followers. Default false." }),
    showProfile: z.boolean().optional().meta({ description: "show_profile: show on the account's profile page. Default false." }),
    campaignId: z.string().min(1).max(MAX_CAMPAIGN_ID_LENGTH).optional().meta({ description: 'Set by campaigns: the campaign to report to.' }),
  })
  .meta({ title: 'linkMiniProgram input', description: 'The one argument of the linkMiniProgram workflow.' });
type _LinkInput = Assert<SameShape<z.input<typeof linkInputSchema>, LinkInput>>;

/** Input of `unlinkMiniProgram`. */
export const unlinkInputSchema = z
  .strictObject(waitingFields)
  .meta({ title: 'unlinkMiniProgram input', description: 'The one argument of the unlinkMiniProgram workflow.' });
type _UnlinkInput = Assert<SameShape<z.input<typeof unlinkInputSchema>, UnlinkInput>>;

/** Input of `listLinkedMiniPrograms`. */
export const listInputSchema = z
  .strictObject({
    officialAccountAppId: appIdField,
    timeout: durationField.optional().meta({ description: "Give up retrying WeChat after this long. Default '5m'." }),
  })
  .meta({ title: 'listLinkedMiniPrograms input', description: 'The one argument of the listLinkedMiniPrograms workflow.' });
type _ListInput = Assert<SameShape<z.input<typeof listInputSchema>, ListInput>>;

/** A status seen, in order (also in webhook events). */
export const statusTransition = z
  .object({ status: z.number(), at: z.string().meta({ description: 'ISO-8601 time of the poll that first showed it.' }) })
  .meta({ id: 'StatusTransition', description: 'A status seen, in order.' });

/** The last failed WeChat call (`LastError`). */
export const lastErrorSchema = z
  .object({
    type: z.string(),
    message: z.string(),
    errcode: z.number().optional(),
    errmsg: z.string().optional(),
    at: z.string(),
    consecutiveFailures: z.number(),
  })
  .meta({ id: 'LastError', description: 'The last failed WeChat call (never holds an access token).' });

/** What a link or unlink returns, with its own outcomes. */
function pairResultSchema<O extends Record<string, string>>(outcome: O) {
  return z.object({
    outcome: z.enum(outcome),
    officialAccountAppId: z.string(),
    miniProgramAppId: z.string(),
    status: z.number().nullable(),
    username: z.string().nullable(),
    nickname: z.string().nullable(),
    polls: z.number(),
    transitions: z.array(statusTransition),
    errcode: z.number().optional(),
    errmsg: z.string().optional(),
    lastError: lastErrorSchema.optional(),
  });
}

/** Result of `linkMiniProgram`. */
export const linkResultSchema = pairResultSchema(LinkOutcome).meta({ title: 'linkMiniProgram result' });
type _LinkResult = Assert<SameShape<z.output<typeof linkResultSchema>, LinkResult>>;

/** Result of `unlinkMiniProgram`. */
export const unlinkResultSchema = pairResultSchema(UnlinkOutcome).meta({ title: 'unlinkMiniProgram result' });
type _UnlinkResult = Assert<SameShape<z.output<typeof unlinkResultSchema>, UnlinkResult>>;

/** One `wxamplinkget` entry: WeChat's own fields, whatever they are, plus `statusMeaning`. */
const linkedMiniProgram = z.looseObject({
  status: z.number(),
  username: z.string(),
  appid: z.string().optional(),
  nickname: z.string().optional(),
  statusMeaning: z.string(),
});

/** Result of `listLinkedMiniPrograms`. */
export const listResultSchema = z
  .object({ officialAccountAppId: z.string(), items: z.array(linkedMiniProgram) })
  .meta({ title: 'listLinkedMiniPrograms result' });
type _ListResult = Assert<SameShape<z.output<typeof listResultSchema>, ListResult>>;

/** What the query `getLinkState` answers, on link and unlink workflows. */
export const linkStateSchema = z
  .object({
    workflow: z.enum(['link', 'unlink']),
    officialAccountAppId: z.string(),
    miniProgramAppId: z.string(),
    phase: z.enum(LinkPhase),
    status: z.number().nullable(),
    statusMeaning: z.string().nullable(),
    outcome: z.string().nullable(),
    transitions: z.array(statusTransition),
    polls: z.number(),
    lastError: lastErrorSchema.nullable(),
    nextPollAt: z.string().nullable(),
    deadline: z.string(),
    username: z.string().nullable(),
    nickname: z.string().nullable(),
    matching: z.object({
      by: z.enum(['appid', 'username', 'snapshot_diff', 'only_pending_entry']).nullable(),
      note: z.string().nullable(),
      candidates: z.array(z.string()),
    }),
    startedAt: z.string(),
    errcode: z.number().nullable(),
    errmsg: z.string().nullable(),
    accountWatch: z.object({ workflowId: z.string(), polls: z.number(), lastAnswerAt: z.string().optional() }).nullable().optional(),
    effectivePolling: z
      .object({ pollIntervalMs: z.number(), maxPollIntervalMs: z.number(), minPollIntervalMs: z.number(), clamped: z.boolean() })
      .nullable()
      .optional(),
  })
  .meta({ title: 'getLinkState answer', description: 'What the getLinkState query of a linkMiniProgram or unlinkMiniProgram workflow answers.' });
type _LinkState = Assert<SameShape<z.output<typeof linkStateSchema>, LinkState>>;
