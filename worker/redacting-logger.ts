/**
 * The worker process's log output, masked: every line Temporal's runtime or an activity writes
 * goes through {@link redact} with the secrets of the configuration, so that a token or secret
 * quoted by some library never reaches the terminal or a log collector.
 */
import { inspect } from 'node:util';
import type { LogEntry } from '@temporalio/worker';
import { REDACTED, isSecretName, redact, redactedError } from '../activities/redact';

/**
 * Formats an entry as Temporal's default logger does, masked. Fields under a secret name
 * (`access_token`, `secret`, `apiKey`, …) are masked exactly as {@link formatRedactedJson} masks
 * them: `inspect` writes `access_token: 'abc'`, which no pattern over JSON text would catch.
 */
export function formatRedacted(entry: LogEntry, secrets: readonly string[]): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  // Errors stay errors (inspect prints their stacks readably), redacted copies of them.
  const masked = entry.meta === undefined ? undefined : maskDeep(entry.meta, secrets, 0, (error) => redactedError(error, secrets));
  const meta = masked === undefined ? '' : ` ${inspect(masked, { depth: 6, breakLength: Infinity })}`;
  return redact(`${time} [${entry.level}] ${entry.message}${meta}`, secrets);
}

/**
 * Formats an entry as one JSON object: `time`, `level`, `message`, then the SDK's metadata as
 * fields (`workflowId`, `runId`, `workflowType`, `activityType`, `taskQueue`, …). Every string is
 * masked before serialising, so a secret is caught however JSON would have escaped it.
 */
export function formatRedactedJson(entry: LogEntry, secrets: readonly string[]): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta === undefined ? {} : (maskDeep(entry.meta, secrets, 0, (error) => plainError(error, secrets)) as Record<string, unknown>);
  // time, level and message first (and never overwritten by a metadata field of the same name);
  // the activity's task token is left out: a long opaque blob that can complete the activity.
  return JSON.stringify({ time, level: entry.level, message: redact(entry.message, secrets), ...omit(meta, ['time', 'level', 'message', 'taskToken']) });
}

/** An error from another realm (a sandbox, a worker thread) fails `instanceof Error`. */
function isErrorLike(value: object): boolean {
  const { message, stack } = value as { message?: unknown; stack?: unknown };
  return typeof message === 'string' && typeof stack === 'string';
}

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** An error as plain JSON fields, redacted. */
function plainError(error: Error, secrets: readonly string[]): Record<string, unknown> {
  return { name: error.name, message: redact(error.message, secrets), ...(error.stack && { stack: redact(error.stack, secrets) }) };
}

/**
 * A copy of log metadata with every string redacted and every field under a secret name (see
 * {@link isSecretName}) replaced by {@link REDACTED}, whatever its value; errors become `asError`.
 */
function maskDeep(value: unknown, secrets: readonly string[], depth: number, asError: (error: Error) => unknown): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (depth > 6) return '[…]';
  if (value instanceof Error || isErrorLike(value)) return asError(value as Error);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, secrets, depth + 1, asError));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isSecretName(key) ? REDACTED : maskDeep(item, secrets, depth + 1, asError)]));
}
