/**
 * The zod schemas of single values in the contract's JSON Schemas: appids, usernames, durations,
 * history budgets. Declarative (no transform), so that `z.toJSONSchema` can write each as a
 * `pattern` or a range; each states what the workflows' own check (workflows/support/input-fields.ts)
 * accepts, from the same constants. client/input-schemas.ts holds the parsing schemas of the CLI
 * and the worker's configuration, which return what the checks return.
 */
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import {
  APP_ID_PATTERN,
  MAX_HISTORY_EVENTS,
  MAX_NOTIFY_URL_LENGTH,
  MIN_HISTORY_EVENTS,
  NOTIFY_URL_PATTERN,
  USERNAME_PATTERN,
} from '../../workflows/support/input-fields';

/** An official-account or mini-program appid, as `checkAppId` accepts it. */
export const appIdField = z
  .string()
  .regex(APP_ID_PATTERN)
  .meta({ id: 'AppId', description: 'An appid: 1 to 64 letters, digits, "_" or "-", e.g. "wx1234567890abcdef".' });

/** A mini program's `gh_…` username, as `checkUsername` accepts it. */
export const usernameField = z
  .string()
  .regex(USERNAME_PATTERN)
  .meta({ id: 'MiniProgramUsername', description: 'A mini program\'s username, e.g. "gh_1a2b3c4d5e6f".' });

/** A webhook URL a caller gives, as `checkNotifyUrl` accepts it (the port's range aside). */
export const notifyUrlField = z
  .string()
  .max(MAX_NOTIFY_URL_LENGTH)
  .regex(NOTIFY_URL_PATTERN)
  .meta({ id: 'NotifyUrl', description: "Where to post this workflow's webhook events too: http(s), no user-info (docs/webhooks.md)." });

/** The unit words of Temporal's duration strings (the `ms` package), in any case. */
const DURATION_UNITS = [
  ...['milliseconds', 'millisecond', 'msecs', 'msec', 'ms'],
  ...['seconds', 'second', 'secs', 'sec', 's'],
  ...['minutes', 'minute', 'mins', 'min', 'm'],
  ...['hours', 'hour', 'hrs', 'hr', 'h'],
  ...['days', 'day', 'd'],
  ...['weeks', 'week', 'w'],
  ...['years', 'year', 'yrs', 'yr', 'y'],
];

/** `word` matched in any case without a regex flag: JSON Schema patterns have none. */
function anyCase(word: string): string {
  return [...word].map((letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`).join('');
}

/**
 * A duration string that `checkDuration` accepts: a positive number (digits, at most one point;
 * `[0-9]`, not `\d`, which some languages' regex engines widen to every script's digits), spaces,
 * then an optional unit (milliseconds without one). No lookahead, which Go's engine lacks.
 */
export const DURATION_STRING_PATTERN = new RegExp(
  `^(?:[0-9]*[1-9][0-9]*(?:\\.[0-9]+)?|[0-9]*\\.[0-9]*[1-9][0-9]*) *(?:${DURATION_UNITS.map(anyCase).join('|')})?$`,
);

/** The longest duration string Temporal parses (the `ms` package refuses longer ones). */
export const MAX_DURATION_STRING_LENGTH = 100;

/** What JSON can carry of a duration: a duration string, or a positive number of milliseconds. */
const durationJson = z.union([z.string().max(MAX_DURATION_STRING_LENGTH).regex(DURATION_STRING_PATTERN), z.number().positive()]).meta({
  id: 'Duration',
  description: "A Temporal duration such as '200ms', '30s', '5m' or '7d', or a positive number of milliseconds.",
});

/**
 * A Temporal duration (`'200ms'`, `'30s'`, `'7d'`) or a positive number of milliseconds, as
 * `checkDuration` accepts it. Typed as Temporal's `Duration`: zod would say `string`, where the
 * contract's types say `Duration`; the pattern is what holds the strings to Temporal's form (and
 * test/unit/contract-schemas.test.ts checks that it agrees with `checkDuration`).
 */
export const durationField = durationJson as unknown as z.ZodType<Duration, Duration>;

/** A history budget, as `checkHistoryEvents` accepts it. */
export const historyEventsField = z.int().min(MIN_HISTORY_EVENTS).max(MAX_HISTORY_EVENTS);

/** A whole number in an inclusive range. */
export function wholeNumberField({ min, max }: { readonly min: number; readonly max: number }): z.ZodInt {
  return z.int().min(min).max(max);
}
