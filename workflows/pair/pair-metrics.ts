/**
 * The link and unlink workflows' metrics, through the workflow metric meter: it is replay-safe
 * (nothing is emitted while a history is replayed) and adds `workflow_type`, `namespace` and
 * `task_queue` itself. Metrics make no commands, so they never change what a history looks like.
 */
import { metricMeter } from '@temporalio/workflow';
import type { LinkState } from '../contract';
import { nowMs } from '../support/workflow-clock';

/** The names of the workflows' metrics (documented in docs/deployment.md). */
export const LinkMetric = {
  /** Counter. Labels: `kind` (`link` or `unlink`). Counted once per workflow, not per run. */
  Started: 'wxamp_links_started',
  /** Counter. Labels: `kind`, `outcome` (`linked`, `refused`, …, `cancelled`). */
  Completed: 'wxamp_links_completed',
  /** Histogram, seconds from the start to the outcome. Labels: `kind`, `outcome`. */
  Duration: 'wxamp_link_duration_seconds',
  /** Counter: `wxamplinkget` answers read while waiting. Labels: `kind`. */
  Polls: 'wxamp_link_polls',
} as const;
export type LinkMetric = (typeof LinkMetric)[keyof typeof LinkMetric];

/** Bucket bounds of {@link LinkMetric.Duration}: seconds to 7 days, the default `timeout`. */
export const LINK_DURATION_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400] as const;

type Kind = LinkState['workflow'];

/** A link or unlink workflow began (its first run only). */
export function recordLinkStarted(kind: Kind): void {
  metricMeter.createCounter(LinkMetric.Started, '', 'link and unlink workflows started').add(1, { kind });
}

/** The workflow reached `outcome`; `startedAt` is its state's ISO start time (carried across runs). */
export function recordLinkCompleted(kind: Kind, outcome: string, startedAt: string): void {
  metricMeter.createCounter(LinkMetric.Completed, '', 'link and unlink workflows ended, by outcome').add(1, { kind, outcome });
  const seconds = Math.max(0, (nowMs() - Date.parse(startedAt)) / 1000);
  metricMeter.createHistogram(LinkMetric.Duration, 'float', 's', 'time from the start of a link or unlink to its outcome').record(seconds, { kind, outcome });
}

/** One `wxamplinkget` answer was read while waiting. */
export function recordLinkPoll(kind: Kind, count = 1): void {
  metricMeter.createCounter(LinkMetric.Polls, '', 'wxamplinkget answers read by waiting workflows').add(count, { kind });
}
