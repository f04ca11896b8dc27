/**
 * Time inside workflows. The Temporal sandbox replaces `Date` with the time of the current
 * workflow task, so reading it is deterministic on replay; this is the one place that does.
 */

/** Milliseconds since the epoch, as of the current workflow task. */
export function nowMs(): number {
  return new Date().getTime();
}

/** An ISO-8601 string for a time in milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
