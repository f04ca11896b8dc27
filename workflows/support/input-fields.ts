/**
 * The pieces workflow input validation is made of: small, pure and deterministic, with no library.
 * Every cached workflow evaluates the bundle's modules again (its own instances of them), so a
 * validation library here costs about a megabyte per cached workflow; these cost almost nothing.
 *
 * A `check*` function says what is wrong with a value without naming it (the zod schemas of the
 * client and the worker's configuration wrap the same checks, see client/input-schemas.ts); the
 * field readers name the field and throw {@link InputValidationError}.
 */
import { msToNumber, type Duration } from '@temporalio/common';

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

/** A checked value, or what is wrong with it (without the field's name). */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The fewest history events a run may be given before it continues as new. */
export const MIN_HISTORY_EVENTS = 100;
/** The most: below Temporal's 10,240-event warning. */
export const MAX_HISTORY_EVENTS = 10_000;

const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (problem: string): Checked<never> => ({ ok: false, problem });

// Appids end up in workflow ids (`wxamp-link/<oa>/<mp>`) and visibility queries, so a slash or a
// quote would be a bug waiting to happen; WeChat's own appids are `wx` + 16 hex characters.
/** What {@link checkAppId} accepts; also the `pattern` of the JSON Schemas (client/schemas/fields.ts). */
export const APP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** What {@link checkUsername} accepts; also the `pattern` of the JSON Schemas. */
export const USERNAME_PATTERN = /^gh_[A-Za-z0-9_-]{1,64}$/;

/** An official-account or mini-program appid: 1 to 64 letters, digits, `_` or `-`. */
export function checkAppId(value: unknown): Checked<string> {
  if (typeof value !== 'string') return invalid('must be a string');
  if (!APP_ID_PATTERN.test(value)) return invalid('must be an appid: 1 to 64 letters, digits, "_" or "-" (e.g. "wx1234567890abcdef")');
  return valid(value);
}

/** A mini program's `gh_…` username. */
export function checkUsername(value: unknown): Checked<string> {
  if (typeof value !== 'string') return invalid('must be a string');
  if (!USERNAME_PATTERN.test(value)) return invalid('must be a mini-program username like "gh_1a2b3c4d5e6f"');
  return valid(value);
}

/** A Temporal duration (`'200ms'`, `'30s'`, `'7d'`) or a number of milliseconds, as milliseconds. */
export function checkDuration(value: unknown): Checked<number> {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    return invalid("must be a duration like '15s' or a number of milliseconds");
  }
  let ms: number;
  try {
    ms = msToNumber(value as Duration);
  } catch {
    return invalid(`must be a duration like '15s', '5m', '7d' or milliseconds (got ${JSON.stringify(value)})`);
  }
  if (!Number.isFinite(ms) || ms <= 0) return invalid(`must be a positive duration (got ${JSON.stringify(value)})`);
  return valid(ms);
}

/** `true` or `false`, nothing that merely looks like one (`'1'`, `1`, `'true'`). */
export function checkBoolean(value: unknown): Checked<boolean> {
  return typeof value === 'boolean' ? valid(value) : invalid('must be true or false');
}

/** A history budget: a whole number of events between {@link MIN_HISTORY_EVENTS} and {@link MAX_HISTORY_EVENTS}. */
export function checkHistoryEvents(value: unknown): Checked<number> {
  if (typeof value !== 'number' || !Number.isFinite(value)) return invalid('must be a number of events');
  if (!Number.isSafeInteger(value)) return invalid('must be a whole number');
  if (value < MIN_HISTORY_EVENTS) return invalid(`must be at least ${MIN_HISTORY_EVENTS}`);
  if (value > MAX_HISTORY_EVENTS) return invalid(`must be at most ${MAX_HISTORY_EVENTS} (Temporal warns at 10,240)`);
  return valid(value);
}

/** A whole number of milliseconds, at least 1 (an interval already in milliseconds). */
export function checkPositiveMs(value: unknown): Checked<number> {
  if (typeof value !== 'number' || !Number.isFinite(value)) return invalid('must be a number of milliseconds');
  if (!Number.isSafeInteger(value) || value < 1) return invalid('must be a whole number of milliseconds, at least 1');
  return valid(value);
}

/** A non-empty string of at most `maxLength` characters. */
export function checkText(maxLength: number): (value: unknown) => Checked<string> {
  return (value) => {
    if (typeof value !== 'string') return invalid('must be a string');
    if (value === '') return invalid('must not be empty');
    if (value.length > maxLength) return invalid(`must be at most ${maxLength} characters`);
    return valid(value);
  };
}

/** The longest `notifyUrl` accepted. */
export const MAX_NOTIFY_URL_LENGTH = 2_048;

/**
 * What {@link checkNotifyUrl} accepts, but the length and port limits: http(s), a host (name or
 * [IPv6]) captured first, a port captured second, then the rest. No URL class in the workflow
 * sandbox, hence a pattern; it is also the `pattern` of the JSON Schemas (`[0-9]`, not `\d`, which
 * some languages' engines widen to every script's digits).
 */
export const NOTIFY_URL_PATTERN = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?(?:[/?#]\S*)?$/;
/** A URL that names a user (and maybe a password) before its host. */
const USER_INFO = /^https?:\/\/[^\s/?#@]*@/;

/** The lower-case host of a URL {@link checkNotifyUrl} accepted (no port; IPv6 in brackets). */
export function notifyUrlHost(url: string): string {
  return (NOTIFY_URL_PATTERN.exec(url)?.[1] ?? '').toLowerCase();
}

/**
 * A webhook URL a caller gives (`notifyUrl`): http or https, a host, no user-info (the input is
 * kept in the workflow's history, so a password there would be too), at most
 * {@link MAX_NOTIFY_URL_LENGTH} characters. The operator's allow-list is checked by the worker.
 */
export function checkNotifyUrl(value: unknown): Checked<string> {
  if (typeof value !== 'string') return invalid('must be a string');
  if (value.length > MAX_NOTIFY_URL_LENGTH) return invalid(`must be at most ${MAX_NOTIFY_URL_LENGTH} characters`);
  if (USER_INFO.test(value)) return invalid('must not carry user-info (user:password@): the input is kept in the workflow history');
  const match = NOTIFY_URL_PATTERN.exec(value);
  if (!match) return invalid('must be an http:// or https:// URL, e.g. "https://backend.example.com/wxamp-events"');
  if (match[2] !== undefined && Number(match[2]) > 65_535) return invalid('has a port above 65535');
  return valid(value);
}

/** An input object's fields, and the path that names them in messages (`''` at the top). */
export interface InputObject {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly path: string;
}

/** The full name of `key` in `input`'s messages: `pollInterval`, `waiters[0].pollIntervalMs`. */
export function fieldName(input: InputObject, key: string): string {
  return input.path === '' ? key : `${input.path}.${key}`;
}

/** @throws {@link InputValidationError} for `field`, the message starting with its name. */
export function fail(field: string, problem: string): never {
  throw new InputValidationError(field, `${field}: ${problem}`);
}

/**
 * `raw` as an object whose fields can be read (an array or `null` is not one).
 * @param name what the object is called when it is not one: `input` at the top, `waiters[0]` inside.
 * @param path the prefix of its fields' names: `''` at the top.
 */
export function inputObject(raw: unknown, name: string, path = ''): InputObject {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(name, 'must be an object');
  return { fields: raw as Record<string, unknown>, path };
}

/** A field that must be there and pass `check`. */
export function requiredField<T>(input: InputObject, key: string, check: (value: unknown) => Checked<T>): T {
  const value = input.fields[key];
  if (value === undefined) fail(fieldName(input, key), 'is required');
  return checked(input, key, check(value));
}

/** A field that may be left out (`undefined`), then `fallback`. */
export function optionalField<T, F>(input: InputObject, key: string, check: (value: unknown) => Checked<T>, fallback: F): T | F {
  const value = input.fields[key];
  return value === undefined ? fallback : checked(input, key, check(value));
}

/** Refuses the first field not in `known`: a misspelt option must not be silently ignored. */
export function rejectUnknownFields(input: InputObject, known: ReadonlySet<string>): void {
  // for…in, not Object.keys: an inherited field would be read as well, so it must be known too.
  for (const key in input.fields) {
    if (!known.has(key)) fail(fieldName(input, key), 'unknown field (check its spelling against the documented input)');
  }
}

function checked<T>(input: InputObject, key: string, result: Checked<T>): T {
  if (!result.ok) fail(fieldName(input, key), result.problem);
  return result.value;
}
