/**
 * Validation of workflow input, shared by the workflows (which fail with `InvalidInput`) and the
 * client library (which refuses before starting anything). Pure: safe in the workflow sandbox.
 */
import { msToNumber, type Duration } from '@temporalio/common';
import { z } from 'zod';
import { DEFAULT_MAX_HISTORY_EVENTS } from './history-budget';

/** Unlink input with every default applied and every duration in milliseconds. */
export interface NormalizedWaitInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
  miniProgramUsername: string | null;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  timeoutMs: number;
  maxHistoryEvents: number;
}

/** Link input with every default applied and every duration in milliseconds. */
export interface NormalizedLinkInput extends NormalizedWaitInput {
  notifyUsers: boolean;
  showProfile: boolean;
}

/** List input with its default applied. */
export interface NormalizedListInput {
  officialAccountAppId: string;
  timeoutMs: number;
}

/** Thrown by the validators: `message` names the field and says what is wrong with it. */
export class InputValidationError extends Error {
  /** The first offending field, e.g. `pollInterval`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'InputValidationError';
    this.field = field;
  }
}

const MIN_POLL_INTERVAL_MS = 50;
const MIN_HISTORY_EVENTS = 100;
const MAX_HISTORY_EVENTS = 10_000;
const MAX_TIMEOUT_MS = 366 * 24 * 3600 * 1000;

// Appids end up in workflow ids (`wxamp-link/<oa>/<mp>`) and visibility queries, so a slash or a
// quote would be a bug waiting to happen; WeChat's own appids are `wx` + 16 hex characters.
export const appIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an appid: 1 to 64 letters, digits, "_" or "-" (e.g. "wx1234567890abcdef")');

const usernameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^gh_[A-Za-z0-9_-]{1,64}$/, 'must be a mini-program username like "gh_1a2b3c4d5e6f"');

/** A Temporal duration (`'200ms'`, `'30s'`, `'7d'`) or a number of milliseconds, as milliseconds. */
export const durationSchema = z
  .union([z.string(), z.number()], { error: "must be a duration like '15s' or a number of milliseconds" })
  .transform((value, ctx) => {
    let ms: number;
    try {
      ms = msToNumber(value as Duration);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a duration like '15s', '5m', '7d' or milliseconds (got ${JSON.stringify(value)})` });
      return z.NEVER;
    }
    if (!Number.isFinite(ms) || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be a positive duration (got ${JSON.stringify(value)})` });
      return z.NEVER;
    }
    return ms;
  });

/** The waiting fields that links and unlinks share, with DESIGN's defaults. */
const waitingFields = {
  officialAccountAppId: appIdSchema,
  miniProgramAppId: appIdSchema,
  miniProgramUsername: usernameSchema.optional(),
  pollInterval: durationSchema.default(15_000),
  maxPollInterval: durationSchema.default(300_000),
  timeout: durationSchema.default(7 * 24 * 3600 * 1000),
  maxHistoryEvents: z
    .number({ error: 'must be a number of events' })
    .int('must be a whole number')
    .min(MIN_HISTORY_EVENTS, `must be at least ${MIN_HISTORY_EVENTS}`)
    .max(MAX_HISTORY_EVENTS, `must be at most ${MAX_HISTORY_EVENTS} (Temporal warns at 10,240)`)
    .default(DEFAULT_MAX_HISTORY_EVENTS),
};

type WaitingFields = { pollInterval: number; maxPollInterval: number; timeout: number };

function checkIntervals(input: WaitingFields, ctx: z.RefinementCtx): void {
  if (input.pollInterval < MIN_POLL_INTERVAL_MS) {
    ctx.addIssue({ code: 'custom', path: ['pollInterval'], message: `must be at least ${MIN_POLL_INTERVAL_MS}ms` });
  }
  if (input.maxPollInterval < input.pollInterval) {
    ctx.addIssue({ code: 'custom', path: ['maxPollInterval'], message: 'must not be shorter than pollInterval' });
  }
  if (input.timeout > MAX_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be at most 366d' });
  }
}

const linkInputSchema = z
  .strictObject(
    {
      ...waitingFields,
      notifyUsers: z.boolean({ error: 'must be true or false' }).default(false),
      showProfile: z.boolean({ error: 'must be true or false' }).default(false),
    },
    { error: 'must be an object' },
  )
  .superRefine(checkIntervals);

const unlinkInputSchema = z.strictObject(waitingFields, { error: 'must be an object' }).superRefine(checkIntervals);

const listInputSchema = z.strictObject(
  { officialAccountAppId: appIdSchema, timeout: durationSchema.default(300_000) },
  { error: 'must be an object' },
);

/** Turns the first zod issue into an {@link InputValidationError} that names its field. */
export function toValidationError(error: z.ZodError, rootName: string, input: unknown): InputValidationError {
  const issue = error.issues[0];
  if (!issue) return new InputValidationError(rootName, `${rootName}: invalid`);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '?';
    return new InputValidationError(key, `${key}: unknown field (check its spelling against the documented input)`);
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : rootName;
  const missing = issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  return new InputValidationError(field, `${field}: ${missing ? 'is required' : issue.message}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw toValidationError(parsed.error, 'input', input);
  return parsed.data;
}

function normalizeWaiting(value: z.output<typeof unlinkInputSchema>): NormalizedWaitInput {
  return {
    officialAccountAppId: value.officialAccountAppId,
    miniProgramAppId: value.miniProgramAppId,
    miniProgramUsername: value.miniProgramUsername ?? null,
    pollIntervalMs: value.pollInterval,
    maxPollIntervalMs: value.maxPollInterval,
    timeoutMs: value.timeout,
    maxHistoryEvents: value.maxHistoryEvents,
  };
}

/**
 * Validates a {@link LinkInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeLinkInput(input: unknown): NormalizedLinkInput {
  const value = parseOrThrow(linkInputSchema, input);
  return { ...normalizeWaiting(value), notifyUsers: value.notifyUsers, showProfile: value.showProfile };
}

/**
 * Validates an {@link UnlinkInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeUnlinkInput(input: unknown): NormalizedWaitInput {
  return normalizeWaiting(parseOrThrow(unlinkInputSchema, input));
}

/**
 * Validates a {@link ListInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeListInput(input: unknown): NormalizedListInput {
  const value = parseOrThrow(listInputSchema, input);
  return { officialAccountAppId: value.officialAccountAppId, timeoutMs: value.timeout };
}
