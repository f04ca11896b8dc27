/**
 * `watchOfficialAccount`: one per official account while links or unlinks wait on it. It polls
 * `wxamplinkget` once per interval — however many workflows wait, on however many workers — and
 * hands the answers that matter to the waiters, each of which matches its own entry: a changed
 * answer (and the one after it) to all, any answer to a waiter that just joined or asked (its own
 * first answer goes to all, and the next only to whom watch/first-answer.ts names), and the next
 * answer to a waiter silent for too long (watch/silent-waiters.ts). While nothing changes nobody
 * else is woken. It ends when nobody waits.
 *
 * Failure cases, and why each is safe:
 * - A waiter ended or was cancelled: it says so (`leave`); if that signal was lost, the next
 *   answer to it fails and the watcher drops it.
 * - A waiter was terminated (it cannot say goodbye): it stops re-joining, and once it has been
 *   silent for half a watchdog period more than it should, the next answer goes to it, fails, and
 *   the watcher drops it — so a watcher polls for the dead for a bounded time.
 * - The watcher was terminated or timed out: each waiter's watchdog notices that no answer came
 *   when one was due and joins again, which starts a fresh watcher.
 * - A join arrives while the watcher continues as new or ends: Temporal refuses to close a run
 *   that has unhandled signals, so the join is handled by this run and carried to the next.
 * - `pollNow` on a link reaches here as {@link pollAccountNow}: the account is polled at once and
 *   the asking waiter gets the answer even when nothing changed.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { describeActivityFailure, toLastError, type FailureInfo } from './support/activity-failures';
import { extendStreak, streakNote, streakSettles, type RefusalStreak } from './watch/account-refusal';
import { waitersAfterFirstAnswer } from './watch/first-answer';
import { silentWaiters } from './watch/silent-waiters';
import { afterAnswer, afterFailure, afterJoin, accountIntervals, emptySchedule, type ScheduleState } from './watch/watch-pace';
import {
  accountPolled,
  joinAccountWatch,
  leaveAccountWatch,
  pollAccountNow,
  type AccountAnswer,
  type RivalClaim,
  type Waiter,
  type WatchInput,
} from './watch/watch-protocol';
import { getAccountWatchState, WeChatFailureType, WxOfficialAccountAppId, type AccountWatchState, type LastError, type SnapshotItem } from './contract';
import { historyIsLong } from './support/history-budget';
import { inputOrFail } from './support/input-or-fail';
import { DEFAULT_OPERATOR_POLICY } from './support/operator-policy';
import { operatorPolicyOrNull } from './support/read-operator-policy';
import { PROBE_SILENT_WAITERS_PATCH, QUIET_FIRST_ANSWER_PATCH, WATCH_OPERATOR_POLICY_PATCH } from './patches';
import { InputValidationError } from './support/validate-input';
import { normalizeWaiter, normalizeWatchInput } from './watch/validate-watch-input';
import { WECHAT_ACTIVITY_OPTIONS } from './support/wechat-activity-options';
import type { OperatorPolicy } from './support/operator-policy';
import { iso, nowMs } from './support/workflow-clock';

const { fetchLinkSnapshot } = proxyActivities<Activities>(WECHAT_ACTIVITY_OPTIONS);

/**
 * The watcher hands over to a new run at this many events (or sooner, at its waiters' own budget).
 * Its state is small and a hand-over cheap, while a short history keeps it cheap to replay: on a
 * worker whose cache holds fewer workflows than it runs, every poll of an evicted watcher replays.
 */
export const WATCHER_MAX_HISTORY_EVENTS = 500;

/** Failures whose back-off a `pollNow` does not cut short: WeChat itself said "not now". */
const BACK_OFF_OUTRANKS_POLL_NOW: ReadonlySet<string> = new Set([
  WeChatFailureType.RateLimited,
  WeChatFailureType.QuotaExhausted,
  WeChatFailureType.TokenRejected,
  WeChatFailureType.TokenUnavailable,
  WeChatFailureType.UnconfirmedRefusal,
]);

/** How many recent poll lags the query shows. */
const KEPT_POLL_LAGS = 50;

/** The watcher's state, carried from one run to the next by continue-as-new. */
export interface WatchCarryOver {
  waiters: Waiter[];
  schedule: ScheduleState;
  polls: number;
  lastPollAtMs: number | null;
  lastError: LastError | null;
  pollLagsMs: number[];
  /** Waiters owed the next answer whatever it says: just joined, or asked (`pollNow`). */
  owedAnswer: string[];
  /** The last poll changed the entries: the next answer goes to everyone too (it confirms). */
  lastPollChanged: boolean;
  /** Account-level refusals of `wxamplinkget` in a row (absent in states of older runs). */
  refusalStreak?: RefusalStreak | null;
  /** When `wxamplinkget` was last called, answered or not: the operator's floor counts from it. */
  lastAttemptAtMs?: number | null;
  /**
   * When each waiter was last heard from (joined, or took an answer), by workflow id: a waiter
   * silent for too long is probed (watch/silent-waiters.ts). Absent in states of older runs.
   */
  lastContactMs?: Record<string, number>;
}

/** Result of {@link watchOfficialAccount}: it ends when nobody waits. */
export interface WatchResult {
  officialAccountAppId: string;
  polls: number;
}

/** Watches one official account for the links and unlinks waiting on it. */
export async function watchOfficialAccount(rawInput: WatchInput, carried?: WatchCarryOver): Promise<WatchResult> {
  const input = inputOrFail(normalizeWatchInput, rawInput);
  const account = { officialAccountAppId: input.officialAccountAppId };
  const waiters = new Map<string, Waiter>((carried?.waiters ?? input.waiters ?? []).map((waiter) => [waiter.workflowId, waiter]));
  const state = {
    schedule: carried?.schedule ?? emptySchedule(),
    polls: carried?.polls ?? 0,
    lastPollAtMs: carried?.lastPollAtMs ?? null,
    lastError: carried?.lastError ?? null,
    pollLagsMs: carried?.pollLagsMs ?? [],
    pollRequested: false,
    owedAnswer: new Set<string>(carried?.owedAnswer ?? waiters.keys()),
    lastPollChanged: carried?.lastPollChanged ?? false,
    refusalStreak: carried?.refusalStreak ?? null,
    lastAttemptAtMs: carried?.lastAttemptAtMs ?? null,
    lastContactMs: new Map<string, number>(Object.entries(carried?.lastContactMs ?? {})),
  };
  const runStartedAtMs = nowMs();
  /** The operator's policy (set before the first poll; `null` when replaying an older run). */
  let policy: OperatorPolicy | null = null;
  if (!carried) for (const waiter of waiters.values()) state.schedule = afterJoin(state.schedule, waiter, nowMs(), policy);

  upsertSearchAttributes([{ key: WxOfficialAccountAppId, value: input.officialAccountAppId }]);
  const publish = (): void => setCurrentDetails(describeWatch(view()));
  const view = (): AccountWatchState => ({
    officialAccountAppId: input.officialAccountAppId,
    waiters: [...waiters.keys()],
    polls: state.polls,
    lastPollAt: state.lastPollAtMs === null ? null : iso(state.lastPollAtMs),
    nextPollAt: state.schedule.nextPollAtMs === null ? null : iso(state.schedule.nextPollAtMs),
    delayMs: state.schedule.delayMs,
    lastError: state.lastError,
    pollLagsMs: [...state.pollLagsMs],
  });
  setHandler(getAccountWatchState, view);
  setHandler(joinAccountWatch, (raw) => {
    // A signal is input too: a malformed join is dropped (and logged), never allowed to set the pace.
    const waiter = validWaiter(raw);
    if (waiter === null) return;
    // A waiter's new run joins again: keep its place in the back-off rather than start over.
    if (!waiters.has(waiter.workflowId)) state.schedule = afterJoin(state.schedule, waiter, nowMs(), policy);
    waiters.set(waiter.workflowId, waiter);
    state.lastContactMs.set(waiter.workflowId, nowMs());
    state.owedAnswer.add(waiter.workflowId);
    publish();
  });
  setHandler(leaveAccountWatch, (workflowId) => {
    waiters.delete(workflowId);
    state.owedAnswer.delete(workflowId);
    state.lastContactMs.delete(workflowId);
    publish();
  });
  setHandler(pollAccountNow, (workflowId) => {
    state.pollRequested = true;
    if (waiters.has(workflowId)) state.owedAnswer.add(workflowId);
  });
  publish();
  policy = await operatorPolicyOrNull(WATCH_OPERATOR_POLICY_PATCH);
  const refusalRule = policy?.accountRefusal ?? DEFAULT_OPERATOR_POLICY.accountRefusal;

  /** Sends one answer to some waiters (default: all); drops those that are gone. */
  const answer = async (message: AccountAnswer, to: Iterable<string> = [...waiters.keys()]): Promise<void> => {
    const recipients = [...new Set(to)].filter((workflowId) => waiters.has(workflowId));
    state.owedAnswer.clear();
    const sent = recipients.map(async (workflowId) => {
      try {
        await getExternalWorkflowHandle(workflowId).signal(accountPolled, message);
        state.lastContactMs.set(workflowId, nowMs());
      } catch (error) {
        if (isCancellation(error)) throw error;
        // Ended (or never ran): nobody there to answer any more.
        waiters.delete(workflowId);
        state.lastContactMs.delete(workflowId);
      }
    });
    await Promise.all(sent);
  };

  /**
   * The waiters not heard from for too long, to be sent the next answer: it is how a terminated
   * waiter, which cannot say goodbye, is found while nothing changes (watch/silent-waiters.ts).
   */
  const probed = (atMs: number): string[] => {
    const silent = silentWaiters(waiters.values(), state.lastContactMs, atMs, runStartedAtMs);
    return silent.length > 0 && patched(PROBE_SILENT_WAITERS_PATCH) ? silent : [];
  };

  for (;;) {
    const intervals = accountIntervals(waiters.values(), policy);
    if (intervals === null) break;
    if (historyIsLong(Math.min(...[...waiters.values()].map((waiter) => waiter.maxHistoryEvents), WATCHER_MAX_HISTORY_EVENTS))) {
      await condition(allHandlersFinished);
      const next: WatchCarryOver = {
        waiters: [...waiters.values()],
        schedule: state.schedule,
        polls: state.polls,
        lastPollAtMs: state.lastPollAtMs,
        lastError: state.lastError,
        pollLagsMs: state.pollLagsMs,
        owedAnswer: [...state.owedAnswer],
        lastPollChanged: state.lastPollChanged,
        refusalStreak: state.refusalStreak,
        lastAttemptAtMs: state.lastAttemptAtMs,
        lastContactMs: Object.fromEntries([...waiters.keys()].map((workflowId) => [workflowId, state.lastContactMs.get(workflowId) ?? runStartedAtMs])),
      };
      return continueAsNew<typeof watchOfficialAccount>({ officialAccountAppId: input.officialAccountAppId }, next);
    }

    const dueAtMs = state.schedule.nextPollAtMs ?? nowMs() + intervals.pollIntervalMs;
    const broughtForward = (): boolean => state.schedule.nextPollAtMs !== null && state.schedule.nextPollAtMs < dueAtMs;
    await condition(() => state.pollRequested || waiters.size === 0 || broughtForward(), Math.max(1, dueAtMs - nowMs()), {
      summary: 'next wxamplinkget poll',
    });
    if (waiters.size === 0) continue;
    const requested = state.pollRequested;
    if (!requested && nowMs() < (state.schedule.nextPollAtMs ?? dueAtMs)) continue;
    state.pollRequested = false;
    // pollNow does not cut short WeChat's own "not now" (a rate limit, a spent quota, a bad token):
    // the asker is answered at the poll the back-off allows.
    if (requested && policy !== null && state.lastError !== null && BACK_OFF_OUTRANKS_POLL_NOW.has(state.lastError.type)) continue;
    if (!requested) keepLag(state.pollLagsMs, nowMs() - dueAtMs);
    // However often pollNow is sent, the account is not polled more often than the operator allows,
    // counted from the last call, good or failed.
    const notBeforeMs = policy === null ? 0 : (state.lastAttemptAtMs ?? state.lastPollAtMs ?? runStartedAtMs) + policy.minPollIntervalMs;
    if (nowMs() < notBeforeMs) await sleep(notBeforeMs - nowMs());

    const polled = await poll(() => fetchLinkSnapshot(account));
    const polledAtMs = nowMs();
    state.lastAttemptAtMs = polledAtMs;
    if (polled.kind === 'ok') {
      const previousKey = state.schedule.lastEntriesKey;
      const recovered = state.lastError !== null;
      state.polls += 1;
      state.lastPollAtMs = polledAtMs;
      state.lastError = null;
      state.refusalStreak = null;
      state.schedule = afterAnswer(state.schedule, polled.items, intervals, polledAtMs);
      const changed = previousKey !== state.schedule.lastEntriesKey;
      // The first answer of the account goes to everyone, but it is no news that needs confirming:
      // the next answer goes only to the waiters that may be counting an absence (watch/first-answer.ts).
      const firstAnswer = previousKey === null && patched(QUIET_FIRST_ANSWER_PATCH);
      // While nothing changes, nobody is woken: a waiting link costs nothing between changes.
      const everyone = changed || state.lastPollChanged || recovered;
      state.lastPollChanged = changed && !firstAnswer;
      publish();
      const claims = polled.items.some((item) => item.appid === undefined) ? claimsOf(waiters.values()) : undefined;
      const confirmTo = firstAnswer ? waitersAfterFirstAnswer(waiters.values(), polled.items) : [];
      await answer(
        { kind: 'items', items: polled.items, nextPollAtMs: state.schedule.nextPollAtMs ?? polledAtMs, accountPolls: state.polls, ...(claims && { claims }) },
        everyone ? undefined : [...state.owedAnswer, ...probed(polledAtMs)],
      );
      for (const workflowId of confirmTo) if (waiters.has(workflowId)) state.owedAnswer.add(workflowId);
      continue;
    }
    let failure = polled.failure;
    if (failure.type === WeChatFailureType.UnconfirmedRefusal) {
      // One odd answer about the whole account decides nothing; a persistent one is the verdict.
      state.refusalStreak = extendStreak(state.refusalStreak, polledAtMs);
      if (streakSettles(state.refusalStreak, refusalRule)) failure = { ...failure, type: WeChatFailureType.Refused };
      else failure = { ...failure, message: `${failure.message} (${streakNote(state.refusalStreak, refusalRule)})` };
    }
    if (failure.type === WeChatFailureType.Refused) {
      // A definitive refusal of wxamplinkget (for the whole account) ends every wait on it the same way.
      state.lastError = toLastError(failure, state.schedule.consecutiveFailures + 1, polledAtMs);
      await answer({ kind: 'refused', failure });
      waiters.clear();
      state.lastContactMs.clear();
    } else {
      state.schedule = afterFailure(state.schedule, failure.type, intervals, polledAtMs);
      state.lastError = toLastError(failure, state.schedule.consecutiveFailures, polledAtMs);
      publish();
      await answer({
        kind: 'failed',
        failure,
        consecutiveFailures: state.schedule.consecutiveFailures,
        nextPollAtMs: state.schedule.nextPollAtMs ?? polledAtMs,
      });
    }
  }
  publish();
  return { officialAccountAppId: input.officialAccountAppId, polls: state.polls };
}

/** One `wxamplinkget`: its items, or how it failed. */
async function poll(
  fetch: () => Promise<{ items: SnapshotItem[] }>,
): Promise<{ kind: 'ok'; items: SnapshotItem[] } | { kind: 'failed'; failure: FailureInfo }> {
  try {
    return { kind: 'ok', items: (await fetch()).items };
  } catch (error) {
    return { kind: 'failed', failure: describeActivityFailure(error) };
  }
}

/** The waiter in a join signal, or null (logged) when it is malformed. */
function validWaiter(raw: unknown): Waiter | null {
  try {
    return normalizeWaiter(raw);
  } catch (error) {
    if (!(error instanceof InputValidationError)) throw error;
    log.warn('account watcher: ignored a malformed join signal', { field: error.field, reason: error.message });
    return null;
  }
}

/** Every waiter's claim on an entry without `appid`, for waiters to tell their entry apart. */
function claimsOf(waiters: Iterable<Waiter>): RivalClaim[] {
  const claims: RivalClaim[] = [];
  for (const waiter of waiters) if (waiter.claim) claims.push({ workflowId: waiter.workflowId, ...waiter.claim });
  return claims;
}

function keepLag(lags: number[], lagMs: number): void {
  lags.push(Math.max(0, lagMs));
  if (lags.length > KEPT_POLL_LAGS) lags.splice(0, lags.length - KEPT_POLL_LAGS);
}

/** The Web UI's "current details" of a watcher. */
function describeWatch(state: AccountWatchState): string {
  const lines = [`**Watching ${state.officialAccountAppId}** for ${state.waiters.length} waiting workflow${state.waiters.length === 1 ? '' : 's'}`];
  lines.push(`${state.polls} poll${state.polls === 1 ? '' : 's'}${state.nextPollAt ? `, next at ${state.nextPollAt}` : ''}.`);
  if (state.lastError) lines.push(`Last error (${state.lastError.consecutiveFailures}× in a row): ${state.lastError.message}`);
  return lines.join('\n\n');
}
