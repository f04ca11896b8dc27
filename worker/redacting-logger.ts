/**
 * The worker process's log output, masked: every line Temporal's runtime or an activity writes
 * goes through {@link redact} with the secrets of the configuration, so that a token or secret
 * quoted by some library never reaches the terminal or a log collector.
 */
import { inspect } from 'node:util';
import type { LogEntry } from '@temporalio/worker';
import { REDACTED, SECRET_FIELD_NAMES, redact } from '../activities/redact';

/** Formats an entry as Temporal's default logger does, masked. */
export function formatRedacted(entry: LogEntry, secrets: readonly string[]): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta === undefined ? '' : ` ${inspect(entry.meta, { depth: 6, breakLength: Infinity })}`;
  return redact(`${time} [${entry.level}] ${entry.message}${meta}`, secrets);
}

/**
 * Formats an entry as one JSON object: `time`, `level`, `message`, then the SDK's metadata as
 * fields (`workflowId`, `runId`, `workflowType`, `activityType`, `taskQueue`, …). Every string is
 * masked before serialising, so a secret is caught however JSON would have escaped it.
 */
export function formatRedactedJson(entry: LogEntry, secrets: readonly string[]): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta === undefined ? {} : (maskDeep(entry.meta, secrets, 0) as Record<string, unknown>);
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

function maskDeep(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (depth > 6) return '[…]';
  if (value instanceof Error || isErrorLike(value)) {
    const error = value as Error;
    return { name: error.name, message: redact(error.message, secrets), ...(error.stack && { stack: redact(error.stack, secrets) }) };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_FIELD_NAMES.includes(key) || /^(api_?key|authorization)$/i.test(key) ? REDACTED : maskDeep(item, secrets, depth + 1)]),
  );
}
