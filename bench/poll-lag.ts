/**
 * Poll lag: how late an account's `wxamplinkget` polls come compared with when they were due.
 * Pluggable, because there are two ways to see it:
 *
 * - the simulator's call log ({@link simulatorLogLags}), which needs nothing from the workflows:
 *   every scale link polls at one fixed interval, so a poll is due one interval after the
 *   account's previous poll, and its lag is the gap minus the interval (never below 0). This is
 *   end to end (timer, workflow task, activity dispatch, HTTP) and exact when one poller serves
 *   an account. With several pollers per account (each link polling for itself) the gaps mix
 *   their schedules and the figure understates the lag;
 * - the account watcher's own record ({@link watcherQueryLags}), the `getAccountWatchState`
 *   query's `pollLagsMs` (workflow time from due to the poll's workflow task), when the workflows
 *   have watchers that answer it.
 */
import type { Client } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import type { CallRecorder } from './call-recorder';
import { mapConcurrent } from './concurrency';
import { sleep } from './progress';

/** Where lags come from. */
export const LagSourceName = { SimulatorLog: 'simlog', WatcherQuery: 'watcher' } as const;
/** One of {@link LagSourceName}'s values. */
export type LagSourceName = (typeof LagSourceName)[keyof typeof LagSourceName];

/** A way to read poll lags; resolves with null when it cannot (nothing answers the query). */
export interface PollLagSource {
  name: LagSourceName;
  lagsMs(): Promise<number[] | null>;
}

/** Which polls {@link simulatorLogLags} looks at. */
export interface LogLagWindow {
  accounts: ReadonlySet<string>;
  fromMs: number;
  toMs: number;
  /** The fixed interval every poll of these accounts is due after the previous one. */
  intervalMs: number;
}

/** Lags derived from the simulator's call log (see the module comment). */
export function simulatorLogLags(recorder: CallRecorder, window: LogLagWindow): PollLagSource {
  return {
    name: LagSourceName.SimulatorLog,
    lagsMs() {
      // One interval of history before the window, so the window's first poll has a predecessor.
      const byAccount = recorder.timesByAccount({
        endpoint: 'wxamplinkget',
        accounts: window.accounts,
        fromMs: window.fromMs - window.intervalMs * 2,
        toMs: window.toMs,
      });
      const lags: number[] = [];
      for (const times of byAccount.values()) {
        for (let i = 1; i < times.length; i++) {
          const at = times[i] as number;
          if (at < window.fromMs) continue;
          lags.push(Math.max(0, at - (times[i - 1] as number) - window.intervalMs));
        }
      }
      return Promise.resolve(lags);
    },
  };
}

/** What the bench reads of a watcher's state (the rest of `AccountWatchState` does not matter here). */
interface WatchStateLags {
  pollLagsMs?: number[];
}

/** The watcher's query, by name: the bench must build whether or not the workflows define it. */
const getAccountWatchState = defineQuery<WatchStateLags>('getAccountWatchState');

/** Options of {@link watcherQueryLags}. */
export interface WatcherLagOptions {
  taskQueue: string;
  /** The watchers' workflow type. @default 'watchOfficialAccount' */
  workflowType?: string;
  /** At most this many watchers are asked. @default 200 */
  sample?: number;
  /** Only each watcher's most recent lags, this many (the window's polls, not the start's). @default all it keeps */
  lastPerWatcher?: number;
  /** Stop asking after this long: a worker too busy to answer queries must not stall the run. @default 20000 */
  budgetMs?: number;
}

/** Lags the watchers recorded themselves; null when there are no watchers or none answers. */
export function watcherQueryLags(client: Client, options: WatcherLagOptions): PollLagSource {
  return {
    name: LagSourceName.WatcherQuery,
    async lagsMs() {
      const type = options.workflowType ?? 'watchOfficialAccount';
      const ids: string[] = [];
      const query = `TaskQueue = '${options.taskQueue}' AND WorkflowType = '${type}' AND ExecutionStatus = 'Running'`;
      for await (const info of client.workflow.list({ query })) {
        ids.push(info.workflowId);
        if (ids.length >= (options.sample ?? 200)) break;
      }
      if (ids.length === 0) return null;
      let answered = 0;
      const budgetMs = options.budgetMs ?? 20_000;
      const until = Date.now() + budgetMs;
      // One timer for every query to race against (not one per watcher).
      const outOfTime = sleep(budgetMs).then(() => null);
      const perWatcher = await mapConcurrent(ids, 8, async (workflowId) => {
        if (Date.now() > until) return [];
        try {
          const query = client.workflow.getHandle(workflowId).query(getAccountWatchState);
          query.catch(() => undefined); // it may lose the race below and fail later
          const state = await Promise.race([query, outOfTime]);
          const lags = state?.pollLagsMs;
          if (!Array.isArray(lags)) return [];
          answered += 1;
          return options.lastPerWatcher === undefined ? lags : lags.slice(-options.lastPerWatcher);
        } catch {
          return [];
        }
      });
      return answered === 0 ? null : perWatcher.flat();
    },
  };
}
