/**
 * Temporal actions of waiting links, counted from their histories: what a link costs per week on
 * a Temporal Cloud bill while its admins take their time. Accounts with one link and accounts with
 * ten wait at the scaled default intervals (15 s → 5 min back-off), admins never acting, on a task
 * queue and in-process worker of their own. The phase runs beside the others (its load is a few
 * polls a minute) and is closed once its window is long enough.
 *
 * Counting, per Temporal Cloud's list of actions: a run started (link, watcher, each
 * continue-as-new), an activity scheduled (plus one per retry attempt), a timer started, a search
 * attribute upsert (not the SDK's own `TemporalChangeVersion` ones, which are not billed), a signal (counted once, where it is received, or as failed when nobody was
 * there), and the local activities of one workflow task together as one. Patch markers are not
 * actions. Queries are actions too but leave no history; nobody queries a waiting link here, so
 * they count 0 (a backend that polls `getLinkState` pays one per query).
 *
 * A week: the actions from the first start to the window's opening (start, invitation, back-off
 * climbing to `maxPollInterval`), plus the window's steady rate extrapolated linearly over the
 * rest of a scaled week. In the full run the window is at least one watchdog period (12
 * `maxPollInterval`s), so every link's hourly re-join is in it; the quick run's half period samples
 * them.
 */
import type { Client } from '@temporalio/client';
import { WxampLinkClient } from '../client';
import { LinkPhase } from '../workflows/contract';
import { mapConcurrent } from './concurrency';
import type { BenchParams } from './params';
import { planPopulation, registerPopulation, type Population } from './population';
import { sleep, type Log } from './progress';
import type { BenchStack } from './stack';
import { statusQuery, waitForCount } from './visibility';
import { createOursWorker, phaseTaskQueue } from './workers';

/** One group's figures (accounts with 1 link, or with 10). */
export interface ActionsGroup {
  links: number;
  /** Actions per link per scaled week (see the module comment). */
  perLinkWeek: number;
  /** Of which: from the start to the window's opening. */
  perLinkBeforeWindow: number;
  /** History events per link per `maxPollInterval` in the window: the economy of not waking links. */
  eventsPerLinkPerInterval: number;
  /** Actions in the window by kind, e.g. `timer=12, signal=4`. */
  windowByKind: string;
}

/** What the phase measured. */
export interface ActionsResult {
  windowMs: number;
  week1: ActionsGroup;
  week10: ActionsGroup;
}

/** A running actions phase. */
export interface ActionsRun {
  /** Waits until the window is long enough, counts, stops the worker. */
  finish(): Promise<ActionsResult>;
}

/** Starts the links of both groups and lets them settle into their back-off. */
export async function startActions(stack: BenchStack, params: BenchParams, log: Log): Promise<ActionsRun> {
  const { actions } = params;
  const one = planPopulation('bw1', { accounts: actions.singleAccounts, linksPerAccount: 1 }, null, params.seed);
  const ten = planPopulation('bw10', { accounts: actions.tenAccounts, linksPerAccount: 10 }, null, params.seed);
  registerPopulation(stack.simulator, one);
  registerPopulation(stack.simulator, ten);
  const taskQueue = phaseTaskQueue('actions');
  const worker = await createOursWorker(stack, taskQueue, new Map([...one.tokens, ...ten.tokens]));
  const running = worker.run();
  const links = new WxampLinkClient({ client: stack.client, taskQueue });
  const startedAtMs = Date.now();
  const all = [...one.links, ...ten.links];
  await mapConcurrent(all, 8, (link) =>
    links.link({
      officialAccountAppId: link.officialAccountAppId,
      miniProgramAppId: link.miniProgramAppId,
      pollInterval: params.pollIntervalMs,
      maxPollInterval: params.maxPollIntervalMs,
      timeout: Math.round((7 * 24 * 3_600_000) / params.divisor),
    }),
  );
  await waitForCount(stack.client, statusQuery(taskQueue, LinkPhase.Waiting), all.length, { timeoutMs: 60_000, everyMs: 250 });
  const windowFromMs = startedAtMs + actions.settleMs;
  log(
    `  actions: ${all.length} links waiting on ${one.accounts.length} + ${ten.accounts.length} accounts; the window opens in ${Math.round((windowFromMs - Date.now()) / 1_000)}s`,
  );
  return {
    async finish() {
      await sleep(Math.max(0, windowFromMs + actions.minWindowMs - Date.now()));
      const windowToMs = Date.now();
      const counted = await countActions(stack.client, taskQueue, { startedAtMs, windowFromMs, windowToMs });
      worker.shutdown();
      await running;
      const weekMs = (7 * 24 * 3_600_000) / params.divisor;
      const group = (population: Population): ActionsGroup => {
        const accounts = new Set(population.accounts);
        // Link ids are `wxamp-link/<oa>/<mp>`, watcher ids `wxamp-watch/<oa>`: the second segment.
        const mine = counted.filter((row) => accounts.has(row.workflowId.split('/')[1] ?? ''));
        const sum = (pick: (row: CountedRun) => number): number => mine.reduce((total, row) => total + pick(row), 0);
        const linksN = population.links.length;
        const windowMs = windowToMs - windowFromMs;
        const before = (sum((row) => row.actionsTotal) - sum((row) => row.actionsInWindow)) / linksN;
        const rate = sum((row) => row.actionsInWindow) / linksN / windowMs;
        const byKind = new Map<string, number>();
        for (const row of mine) for (const [kind, n] of row.windowByKind) byKind.set(kind, (byKind.get(kind) ?? 0) + n);
        return {
          links: linksN,
          perLinkWeek: before + rate * (weekMs - (windowFromMs - startedAtMs)),
          perLinkBeforeWindow: before,
          eventsPerLinkPerInterval: sum((row) => row.eventsInWindow) / linksN / (windowMs / params.maxPollIntervalMs),
          windowByKind: [...byKind].map(([kind, n]) => `${kind}=${n}`).join(', '),
        };
      };
      return { windowMs: windowToMs - windowFromMs, week1: group(one), week10: group(ten) };
    },
  };
}

/** One run's actions and events. */
interface CountedRun {
  workflowId: string;
  actionsTotal: number;
  actionsInWindow: number;
  eventsInWindow: number;
  windowByKind: Map<string, number>;
}

/** Counts every run on the task queue (links, watchers, continued runs) from its history. */
async function countActions(
  client: Client,
  taskQueue: string,
  window: { startedAtMs: number; windowFromMs: number; windowToMs: number },
): Promise<CountedRun[]> {
  const runs: Array<{ workflowId: string; runId: string }> = [];
  for await (const info of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) runs.push({ workflowId: info.workflowId, runId: info.runId });
  return mapConcurrent(runs, 8, async ({ workflowId, runId }) => {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const row: CountedRun = { workflowId, actionsTotal: 0, actionsInWindow: 0, eventsInWindow: 0, windowByKind: new Map() };
    const localActivityTasks = new Set<string>();
    for (const event of history.events ?? []) {
      const atMs = Number(event.eventTime?.seconds ?? 0) * 1_000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
      if (atMs > window.windowToMs) continue;
      const inWindow = atMs >= window.windowFromMs;
      if (inWindow) row.eventsInWindow += 1;
      let kind: string | null = null;
      let count = 1;
      if (event.workflowExecutionStartedEventAttributes) kind = 'start';
      else if (event.activityTaskScheduledEventAttributes) kind = 'activity';
      else if (event.activityTaskStartedEventAttributes)
        [kind, count] = ['activity retry', Math.max(0, (event.activityTaskStartedEventAttributes.attempt ?? 1) - 1)];
      else if (event.timerStartedEventAttributes) kind = 'timer';
      else if (event.upsertWorkflowSearchAttributesEventAttributes) {
        // The SDK's own TemporalChangeVersion upsert (one per patch) is not billed.
        const keys = Object.keys(event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
        if (keys.some((key) => key !== 'TemporalChangeVersion')) kind = 'upsert';
      } else if (event.workflowExecutionSignaledEventAttributes || event.signalExternalWorkflowExecutionFailedEventAttributes) kind = 'signal';
      else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
        // Every local activity of one workflow task counts as one action.
        const task = String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId ?? event.eventId);
        if (!localActivityTasks.has(task)) [kind, count] = ['local activities', 1];
        localActivityTasks.add(task);
      }
      if (kind === null || count === 0) continue;
      row.actionsTotal += count;
      if (inWindow) {
        row.actionsInWindow += count;
        row.windowByKind.set(kind, (row.windowByKind.get(kind) ?? 0) + count);
      }
    }
    return row;
  });
}
