/** Small text formatters for human output: times in local time, durations a person reads at a glance. */

/** `"0.4s"`, `"12s"`, `"4m 05s"`, `"2h 05m"`, `"6d 23h"`: two units at most, never more precision than useful. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < 10_000) return `${(abs / 1000).toFixed(1)}s`;
  const s = Math.floor(abs / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${pad(m % 60)}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** `"in 3.2s"` or `"4m 05s ago"`, relative to `nowMs`. */
export function formatRelative(iso: string, nowMs: number): string {
  const delta = Date.parse(iso) - nowMs;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** Local time: `"14:03:07"` today, `"2025-06-01 14:03:07"` on another day. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
