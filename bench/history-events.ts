/**
 * Temporal history events written on a task queue: every workflow execution (every run, every
 * type — links, their helpers such as per-account watchers, baselines) found through the
 * visibility list, not a list of ids the bench believes in. A closed run's length comes from
 * visibility (final once closed); a running one's from `describe`, since visibility only
 * updates it now and then.
 */
import type { Client } from '@temporalio/client';
import { mapConcurrent } from './concurrency';

/** Events of one workflow type on the task queue. */
export interface TypeHistory {
  executions: number;
  events: number;
}

/** What {@link historyTotals} found. */
export interface HistoryTotals {
  executions: number;
  /** Sum of the history lengths of every run. */
  totalEvents: number;
  /** The longest history of one run, and whose. */
  maxEvents: number;
  maxWorkflowId: string | null;
  byType: Record<string, TypeHistory>;
  /** Running executions that were not described (see {@link HistoryOptions.describeRunningPerType}); their events are visibility's figure. */
  estimated: number;
}

/** Options of {@link historyTotals}. */
export interface HistoryOptions {
  /**
   * At most this many running executions per workflow type are described; the rest count with
   * visibility's (possibly older) length. Describing 10,000 waiting links takes a while and
   * they all look alike. @default every one
   */
  describeRunningPerType?: number;
  /** Describes in flight at once. @default 16 */
  concurrency?: number;
}

/** Sums the history lengths of every run on `taskQueue`. */
export async function historyTotals(client: Client, taskQueue: string, options: HistoryOptions = {}): Promise<HistoryTotals> {
  const limit = options.describeRunningPerType ?? Number.POSITIVE_INFINITY;
  const rows: Array<{ type: string; workflowId: string; runId: string; length: number; running: boolean; describe: boolean }> = [];
  const describedPerType = new Map<string, number>();
  for await (const info of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    let describe = false;
    if (info.status.name === 'RUNNING') {
      const described = describedPerType.get(info.type) ?? 0;
      describe = described < limit;
      if (describe) describedPerType.set(info.type, described + 1);
    }
    rows.push({
      type: info.type,
      workflowId: info.workflowId,
      runId: info.runId,
      length: info.historyLength,
      running: info.status.name === 'RUNNING',
      describe,
    });
  }
  await mapConcurrent(
    rows.filter((row) => row.describe),
    options.concurrency ?? 16,
    async (row) => {
      row.length = (await client.workflow.getHandle(row.workflowId, row.runId).describe()).historyLength;
    },
  );

  const totals: HistoryTotals = { executions: rows.length, totalEvents: 0, maxEvents: 0, maxWorkflowId: null, byType: {}, estimated: 0 };
  for (const row of rows) {
    totals.totalEvents += row.length;
    const perType = (totals.byType[row.type] ??= { executions: 0, events: 0 });
    perType.executions += 1;
    perType.events += row.length;
    if (row.length > totals.maxEvents) {
      totals.maxEvents = row.length;
      totals.maxWorkflowId = row.workflowId;
    }
  }
  totals.estimated = rows.filter((row) => row.running && !row.describe).length;
  return totals;
}
