/**
 * Validation of `linkCampaign` input and of `addPairs` chunks: pure and library-free like the
 * other validators (see input-fields.ts). Duplicates are removed and counted; a clear error names
 * the field above the documented size limits.
 */
import { MAX_CAMPAIGN_PAIRS, MAX_PAIRS_PER_MESSAGE, CampaignCancelMode, type PairTuple } from './campaign-contract';
import { DEFAULT_MAX_HISTORY_EVENTS } from '../support/history-budget';
import {
  checkAppId,
  checkBoolean,
  checkDuration,
  checkHistoryEvents,
  fail,
  inputObject,
  optionalField,
  rejectUnknownFields,
  requiredField,
  type Checked,
  type InputObject,
} from '../support/input-fields';
import { normalizeLinkInput } from '../support/validate-input';
import type { WebhookRequest } from '../webhook/webhook-notifier';

/** Campaign input with every default applied and durations in milliseconds. */
export interface NormalizedCampaignInput {
  /** Unique pairs, in input order. */
  pairs: PairTuple[];
  /** Duplicates removed here plus those the caller reports. */
  duplicates: number;
  /** The link options, as each link's input takes them (unset ones left out). */
  linkOptions: Record<string, unknown>;
  /** Where the campaign's own event goes besides the operator's URL (its links get the same `notifyUrl`). */
  webhook: WebhookRequest;
  maxInFlight: number;
  startsPerMinute: number;
  onCancel: CampaignCancelMode;
  followIntervalMs: number;
  paceRecoveryMs: number;
  maxHistoryEvents: number;
  morePairs: boolean;
}

const LINK_OPTION_FIELDS = ['notifyUsers', 'showProfile', 'pollInterval', 'maxPollInterval', 'timeout', 'notifyUrl', 'notifyTransitions'] as const;
const PACE_FIELDS = ['maxInFlight', 'startsPerMinute', 'onCancel', 'followInterval', 'paceRecovery', 'maxHistoryEvents', 'morePairs', 'duplicatesRemoved'];
const SHAPES = [['miniProgramAppId', 'officialAccountAppIds'], ['officialAccountAppId', 'miniProgramAppIds'], ['pairs']] as const;

/** The ranges of the campaign's whole-number fields, inclusive (its JSON Schema states the same). */
export const CAMPAIGN_NUMBER_RANGES = {
  maxInFlight: { min: 1, max: 1_000 },
  startsPerMinute: { min: 1, max: 60_000 },
  duplicatesRemoved: { min: 0, max: 10 * MAX_CAMPAIGN_PAIRS },
  /** An `addPairs` chunk's `index` (the input is chunk 0). */
  chunkIndex: { min: 1, max: MAX_CAMPAIGN_PAIRS },
} as const;

function wholeNumber({ min, max }: { min: number; max: number }): (value: unknown) => Checked<number> {
  return (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { ok: false, problem: 'must be a whole number' };
    if (value < min || value > max) return { ok: false, problem: `must be from ${min} to ${max}` };
    return { ok: true, value };
  };
}

function checkCancelMode(value: unknown): Checked<CampaignCancelMode> {
  return value === CampaignCancelMode.Leave || value === CampaignCancelMode.CancelLinks
    ? { ok: true, value }
    : { ok: false, problem: `must be '${CampaignCancelMode.Leave}' or '${CampaignCancelMode.CancelLinks}'` };
}

/** The list under `key`: an array of at most {@link MAX_PAIRS_PER_MESSAGE} items. */
function listField(input: InputObject, key: string): unknown[] {
  const value = input.fields[key];
  if (!Array.isArray(value)) fail(key, 'must be a list');
  if (value.length === 0) fail(key, 'must not be empty');
  if (value.length > MAX_PAIRS_PER_MESSAGE) {
    fail(
      key,
      `has ${value.length} items; one message takes at most ${MAX_PAIRS_PER_MESSAGE} (the client library and the CLI split longer lists into addPairs chunks, up to ${MAX_CAMPAIGN_PAIRS} pairs)`,
    );
  }
  return value;
}

function appIdAt(value: unknown, field: string): string {
  const checked = checkAppId(value);
  if (!checked.ok) fail(field, checked.problem);
  return checked.value;
}

/** The pairs the input names, in order, duplicates included. */
function readPairs(input: InputObject): PairTuple[] {
  const shapes = SHAPES.filter((shape) => shape.some((key) => input.fields[key] !== undefined));
  if (shapes.length !== 1) {
    fail('input', 'must name its pairs one way: { miniProgramAppId, officialAccountAppIds }, { officialAccountAppId, miniProgramAppIds } or { pairs }');
  }
  if (input.fields.pairs !== undefined) {
    return listField(input, 'pairs').map((raw, i) => {
      const pair = inputObject(raw, `pairs[${i}]`, `pairs[${i}]`);
      const oa = requiredField(pair, 'officialAccountAppId', checkAppId);
      const mp = requiredField(pair, 'miniProgramAppId', checkAppId);
      rejectUnknownFields(pair, new Set(['officialAccountAppId', 'miniProgramAppId']));
      return [oa, mp];
    });
  }
  if (input.fields.officialAccountAppIds !== undefined || input.fields.miniProgramAppId !== undefined) {
    const mp = requiredField(input, 'miniProgramAppId', checkAppId);
    if (input.fields.officialAccountAppIds === undefined) fail('officialAccountAppIds', 'is required with miniProgramAppId');
    return listField(input, 'officialAccountAppIds').map((oa, i) => [appIdAt(oa, `officialAccountAppIds[${i}]`), mp]);
  }
  const oa = requiredField(input, 'officialAccountAppId', checkAppId);
  if (input.fields.miniProgramAppIds === undefined) fail('miniProgramAppIds', 'is required with officialAccountAppId');
  return listField(input, 'miniProgramAppIds').map((mp, i) => [oa, appIdAt(mp, `miniProgramAppIds[${i}]`)]);
}

/** The key a pair is deduplicated by. */
export function pairKey([oa, mp]: PairTuple): string {
  return `${oa}/${mp}`;
}

/** `pairs` without repeats (first kept), and how many were dropped. */
export function dedupePairs(pairs: readonly PairTuple[], seen: Set<string> = new Set()): { pairs: PairTuple[]; duplicates: number } {
  const unique: PairTuple[] = [];
  for (const pair of pairs) {
    const key = pairKey(pair);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(pair);
  }
  return { pairs: unique, duplicates: pairs.length - unique.length };
}

/**
 * Validates a {@link CampaignInput} and applies its defaults.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizeCampaignInput(raw: unknown): NormalizedCampaignInput {
  const input = inputObject(raw, 'input');
  const { pairs, duplicates } = dedupePairs(readPairs(input));
  const linkOptions: Record<string, unknown> = {};
  for (const key of LINK_OPTION_FIELDS) if (input.fields[key] !== undefined) linkOptions[key] = input.fields[key];
  // The link's own validator checks the options exactly as each link will (with a sample pair).
  const [oa, mp] = pairs[0] ?? ['x', 'x'];
  const sample = normalizeLinkInput({ ...linkOptions, officialAccountAppId: oa, miniProgramAppId: mp });
  const result: NormalizedCampaignInput = {
    pairs,
    duplicates: duplicates + optionalField(input, 'duplicatesRemoved', wholeNumber(CAMPAIGN_NUMBER_RANGES.duplicatesRemoved), 0),
    linkOptions,
    webhook: { notifyUrl: sample.notifyUrl, notifyTransitions: sample.notifyTransitions },
    maxInFlight: optionalField(input, 'maxInFlight', wholeNumber(CAMPAIGN_NUMBER_RANGES.maxInFlight), 50),
    startsPerMinute: optionalField(input, 'startsPerMinute', wholeNumber(CAMPAIGN_NUMBER_RANGES.startsPerMinute), 60),
    onCancel: optionalField(input, 'onCancel', checkCancelMode, CampaignCancelMode.Leave),
    followIntervalMs: optionalField(input, 'followInterval', checkDuration, 60_000),
    paceRecoveryMs: optionalField(input, 'paceRecovery', checkDuration, 300_000),
    maxHistoryEvents: optionalField(input, 'maxHistoryEvents', checkHistoryEvents, DEFAULT_MAX_HISTORY_EVENTS),
    morePairs: optionalField(input, 'morePairs', checkBoolean, false),
  };
  const known = new Set<string>([...SHAPES.flat(), ...LINK_OPTION_FIELDS, ...PACE_FIELDS]);
  rejectUnknownFields(input, known);
  if (pairs.length === 0 && !result.morePairs) fail('input', 'names no pair');
  return result;
}

/**
 * Validates one `addPairs` chunk; tuples are `[officialAccountAppId, miniProgramAppId]`.
 * @throws {@link InputValidationError} naming the first offending field.
 */
export function normalizePairChunk(raw: unknown): { index: number; pairs: PairTuple[]; last: boolean } {
  const chunk = inputObject(raw, 'chunk');
  const index = requiredField(chunk, 'index', wholeNumber(CAMPAIGN_NUMBER_RANGES.chunkIndex));
  const last = requiredField(chunk, 'last', checkBoolean);
  const list = listField(chunk, 'pairs');
  rejectUnknownFields(chunk, new Set(['index', 'pairs', 'last']));
  const pairs = list.map((tuple, i): PairTuple => {
    if (!Array.isArray(tuple) || tuple.length !== 2) fail(`pairs[${i}]`, 'must be [officialAccountAppId, miniProgramAppId]');
    return [appIdAt(tuple[0], `pairs[${i}][0]`), appIdAt(tuple[1], `pairs[${i}][1]`)];
  });
  return { index, pairs, last };
}
