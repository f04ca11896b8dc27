/**
 * Validation of workflow input, shared by the workflows (which fail with `InvalidInput`) and the
 * client library (which refuses before starting anything). Pure, and free of any library: it runs
 * again for every cached workflow (see input-fields.ts).
 *
 * Each validator reports the first offending field: the fields in the order of their input's
 * documentation, then an unknown field, then the checks between fields.
 */
import { DEFAULT_MAX_HISTORY_EVENTS } from './history-budget';
import {
  checkAppId,
  checkBoolean,
  checkDuration,
  checkHistoryEvents,
  checkNotifyUrl,
  checkText,
  checkUsername,
  fail,
  inputObject,
  optionalField,
  rejectUnknownFields,
  requiredField,
  type InputObject,
} from './input-fields';

export { InputValidationError } from './input-fields';

/** Unlink input with every default applied and every duration in milliseconds. */
export interface NormalizedWaitInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
  miniProgramUsername: string | null;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  timeoutMs: number;
  maxHistoryEvents: number;
  /** Where to post this workflow's webhook events, besides the operator's URL (`null`: nowhere else). */
  notifyUrl: string | null;
  /** Whether every status change is posted too, not only the outcome. */
  notifyTransitions: boolean;
}

/** Link input with every default applied and every duration in milliseconds. */
export interface NormalizedLinkInput extends NormalizedWaitInput {
  notifyUsers: boolean;
  showProfile: boolean;
  /** The campaign to report to when the link ends (only present when given). */
  campaignId?: string;
}

/** List input with its default applied. */
export interface NormalizedListInput {
  officialAccountAppId: string;
  timeoutMs: number;
}

/** The shortest `pollInterval` a link or unlink takes (the operator's floor usually raises it). */
export const MIN_POLL_INTERVAL_MS = 50;
/** The longest `timeout` a link or unlink takes: 366 days. */
export const MAX_TIMEOUT_MS = 366 * 24 * 3600 * 1000;

const WAIT_FIELDS = [
  'officialAccountAppId',
  'miniProgramAppId',
  'miniProgramUsername',
  'pollInterval',
  'maxPollInterval',
  'timeout',
  'maxHistoryEvents',
  'notifyUrl',
  'notifyTransitions',
];
const UNLINK_FIELDS: ReadonlySet<string> = new Set(WAIT_FIELDS);
const LINK_FIELDS: ReadonlySet<string> = new Set([...WAIT_FIELDS, 'notifyUsers', 'showProfile', 'campaignId']);
/** Campaign ids are workflow ids: the same length limit as Temporal's default. */
export const MAX_CAMPAIGN_ID_LENGTH = 1_000;
const LIST_FIELDS: ReadonlySet<string> = new Set(['officialAccountAppId', 'timeout']);

/** The waiting fields that links and unlinks share, with DESIGN's defaults. */
function readWaitingFields(input: InputObject): NormalizedWaitInput {
  return {
    officialAccountAppId: requiredField(input, 'officialAccountAppId', checkAppId),
    miniProgramAppId: requiredField(input, 'miniProgramAppId', checkAppId),
    miniProgramUsername: optionalField(input, 'miniProgramUsername', checkUsername, null),
    pollIntervalMs: optionalField(input, 'pollInterval', checkDuration, 15_000),
    maxPollIntervalMs: optionalField(input, 'maxPollInterval', checkDuration, 300_000),
    timeoutMs: optionalField(input, 'timeout', checkDuration, 7 * 24 * 3600 * 1000),
    maxHistoryEvents: optionalField(input, 'maxHistoryEvents', checkHistoryEvents, DEFAULT_MAX_HISTORY_EVENTS),
    notifyUrl: optionalField(input, 'notifyUrl', checkNotifyUrl, null),
    notifyTransitions: optionalField(input, 'notifyTransitions', checkBoolean, false),
  };
}

/** The checks between the waiting fields, once each is valid on its own. */
function checkIntervals(value: NormalizedWaitInput): void {
  if (value.pollIntervalMs < MIN_POLL_INTERVAL_MS) fail('pollInterval', `must be at least ${MIN_POLL_INTERVAL_MS}ms`);
  if (value.maxPollIntervalMs < value.pollIntervalMs) fail('maxPollInterval', 'must not be shorter than pollInterval');
  if (value.timeoutMs > MAX_TIMEOUT_MS) fail('timeout', 'must be at most 366d');
}

/**
 * Validates a {@link LinkInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeLinkInput(raw: unknown): NormalizedLinkInput {
  const input = inputObject(raw, 'input');
  const waiting = readWaitingFields(input);
  const notifyUsers = optionalField(input, 'notifyUsers', checkBoolean, false);
  const showProfile = optionalField(input, 'showProfile', checkBoolean, false);
  const campaignId = optionalField(input, 'campaignId', checkText(MAX_CAMPAIGN_ID_LENGTH), null);
  rejectUnknownFields(input, LINK_FIELDS);
  checkIntervals(waiting);
  return { ...waiting, notifyUsers, showProfile, ...(campaignId !== null && { campaignId }) };
}

/**
 * Validates an {@link UnlinkInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeUnlinkInput(raw: unknown): NormalizedWaitInput {
  const input = inputObject(raw, 'input');
  const waiting = readWaitingFields(input);
  rejectUnknownFields(input, UNLINK_FIELDS);
  checkIntervals(waiting);
  return waiting;
}

/**
 * Validates a {@link ListInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeListInput(raw: unknown): NormalizedListInput {
  const input = inputObject(raw, 'input');
  const officialAccountAppId = requiredField(input, 'officialAccountAppId', checkAppId);
  const timeoutMs = optionalField(input, 'timeout', checkDuration, 300_000);
  rejectUnknownFields(input, LIST_FIELDS);
  return { officialAccountAppId, timeoutMs };
}
