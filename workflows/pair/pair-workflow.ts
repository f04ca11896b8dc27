/**
 * What the link and unlink workflows share: the state they show (tracker, search attributes),
 * the `getLinkState` query and `pollNow` signal, retries within the deadline, the paced wait for
 * the next poll, and the state carried to the next run by continue-as-new.
 */
import { CancellationScope, condition, isCancellation, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { WatcherAnswers } from './watcher-answers';
import type { RivalClaim, Waiter } from '../watch/watch-protocol';
import { getLinkState, LinkPhase, pollNow, WxMiniProgramAppId, WxOfficialAccountAppId, type LinkState, type PairResult, type SnapshotItem } from '../contract';
import { nextPollDelay, type FailureCounts, type PollIntervals } from '../support/backoff';
import { clampToFloor, DEFAULT_OPERATOR_POLICY, type OperatorPolicy } from '../support/operator-policy';
import { ACCOUNT_WATCH_PATCH, CONFIRM_ABSENCE_PATCH, ENTRY_CLAIMS_PATCH, JOIN_WITH_SEND_PATCH } from '../patches';
import { checkPairAndReadPolicy } from '../support/read-operator-policy';
import { historyIsLong } from '../support/history-budget';
import { PairStateKeeper, type PairStateSnapshot } from './pair-state-keeper';
import { callWithRetries, type RetriedCall, type RetryContext } from './retrying-call';
import type { NormalizedWaitInput } from '../support/validate-input';
import { nowMs } from '../support/workflow-clock';
import { WebhookEventType } from '../../common/webhook-event';
import { failUnlessNotifyUrlAllowed, WebhookNotifier } from '../webhook/webhook-notifier';

/** The state of a link or unlink that survives continue-as-new. `S` names its stages. */
export interface PairCarryOver<S extends string> {
  /** The next thing to do. */
  stage: S;
  deadlineMs: number;
  /** Do nothing before this time (a retry's back-off that a previous run had begun). */
  resumeAtMs: number | null;
  /** Usernames listed before the invitation (link only). */
  baselineUsernames: string[] | null;
  /** WeChat said an invitation was already pending (link only). */
  invitationPredatesSend: boolean;
  /** The entry's username once known. */
  knownUsername: string | null;
  /** Whether the entry has been listed since the request was sent. */
  everListed: boolean;
  pollDelayMs: number | null;
  statusChanged: boolean;
  pollRequested: boolean;
  consecutiveFailures: number;
  /** The last `wxamplink` may have reached WeChat unanswered: look before sending again (link only). */
  sendUnsure?: boolean;
  /** Failures in a row per failure type (absent in older carried states). */
  failuresByType?: FailureCounts;
  /** Answers in a row without the entry, once it had been listed (absent in older carried states). */
  absentAnswers?: number;
  /** The account watcher's poll count at the last answer read (absent in older carried states). */
  accountPollsSeen?: number | null;
  /** The operator's policy read by the first run (absent or null: a run from before it existed). */
  policy?: OperatorPolicy | null;
  /** How many of the tracker's transitions were announced to webhook receivers (absent: none). */
  transitionsAnnounced?: number;
  tracker: PairStateSnapshot;
}

// The ids live in patches.ts; re-exported so that older imports keep compiling.
export { ACCOUNT_WATCH_PATCH, CONFIRM_ABSENCE_PATCH, ENTRY_CLAIMS_PATCH };

/** What waiting for the next poll came to. */
export type NextPoll = 'poll' | 'deadline' | 'continue';

/** One run of a link or unlink workflow: its state, its retry context and its pacing. */
export class PairWorkflow<S extends string> {
  readonly tracker: PairStateKeeper;
  readonly progress: Omit<PairCarryOver<S>, 'tracker'>;
  readonly retry: RetryContext;
  /** The intervals that apply: the starter's, raised to the operator's floor once it is known. */
  readonly intervals: PollIntervals;
  private readonly feed: WatcherAnswers;
  private readonly notifier: WebhookNotifier;
  /** Whether this run waits on the account watcher; decided at its first wait (see {@link ACCOUNT_WATCH_PATCH}). */
  private coalesced: boolean | null = null;

  constructor(
    workflow: LinkState['workflow'],
    private readonly input: NormalizedWaitInput,
    firstStage: S,
    carried?: PairCarryOver<S>,
  ) {
    const deadlineMs = carried?.deadlineMs ?? nowMs() + input.timeoutMs;
    upsertSearchAttributes([
      { key: WxOfficialAccountAppId, value: input.officialAccountAppId },
      { key: WxMiniProgramAppId, value: input.miniProgramAppId },
    ]);
    this.tracker = new PairStateKeeper(workflow, input.officialAccountAppId, input.miniProgramAppId, deadlineMs, carried?.tracker);
    this.progress = carried ?? {
      stage: firstStage,
      deadlineMs,
      resumeAtMs: null,
      baselineUsernames: null,
      invitationPredatesSend: false,
      knownUsername: input.miniProgramUsername,
      everListed: false,
      pollDelayMs: null,
      statusChanged: false,
      pollRequested: false,
      consecutiveFailures: 0,
    };
    const progress = this.progress;
    this.intervals = { pollIntervalMs: input.pollIntervalMs, maxPollIntervalMs: input.maxPollIntervalMs };
    if (progress.policy !== undefined) this.applyPolicy(progress.policy);
    this.retry = {
      tracker: this.tracker,
      intervals: this.intervals,
      deadlineMs,
      wakeRequested: () => progress.pollRequested,
      consumeWake: () => {
        progress.pollRequested = false;
      },
      historyIsLong: () => historyIsLong(input.maxHistoryEvents),
      // Runs from before the policy existed may still meet the new failure type: the defaults hold.
      accountRefusal: () => progress.policy?.accountRefusal ?? DEFAULT_OPERATOR_POLICY.accountRefusal,
      consecutiveFailures: carried?.consecutiveFailures ?? 0,
      failuresByType: carried?.failuresByType ?? {},
    };
    this.feed = new WatcherAnswers(input, { ...this.retry, progress });
    this.notifier = new WebhookNotifier(input, () => progress.policy);
    setHandler(getLinkState, () => this.tracker.view());
    setHandler(pollNow, () => {
      progress.pollRequested = true;
    });
  }

  /**
   * The first step before any WeChat call: fails the workflow when the pair's opposite (`other`,
   * e.g. its unlink) runs, and reads the operator's policy and applies its floor — from here on no
   * wait of this workflow, and no pace it asks of the account's watcher, is below
   * `WXAMP_MIN_POLL_INTERVAL`. Later runs carry the policy.
   */
  async checkAndReadPolicy(otherWorkflowId: string, what: string): Promise<void> {
    const policy = await checkPairAndReadPolicy(otherWorkflowId, what);
    failUnlessNotifyUrlAllowed(this.input, policy);
    this.progress.policy = policy;
    this.applyPolicy(policy);
  }

  private applyPolicy(policy: OperatorPolicy | null): void {
    if (policy === null) return;
    const effective = clampToFloor(this.input, policy);
    this.intervals.pollIntervalMs = effective.pollIntervalMs;
    this.intervals.maxPollIntervalMs = effective.maxPollIntervalMs;
    this.tracker.setEffectivePolling({ ...effective, minPollIntervalMs: policy.minPollIntervalMs });
  }

  /** Finishes a back-off that the previous run had begun (a `pollNow` cuts it short). */
  private async resumeBackOff(): Promise<void> {
    if (this.progress.resumeAtMs === null) return;
    await condition(this.retry.wakeRequested, Math.max(1, this.progress.resumeAtMs - nowMs()), { summary: 'back-off carried over' });
    this.retry.consumeWake();
    this.progress.resumeAtMs = null;
  }

  /**
   * Waits until the next poll is due: `pollInterval`, doubling while nothing changes up to
   * `maxPollInterval`, cut short by `pollNow`, never past the deadline.
   */
  async waitForNextPoll(): Promise<NextPoll> {
    if (this.retry.historyIsLong()) return 'continue';
    this.progress.pollDelayMs = nextPollDelay(this.progress.pollDelayMs, this.progress.statusChanged, this.intervals);
    const pollAt = Math.min(nowMs() + this.progress.pollDelayMs, this.progress.deadlineMs);
    this.tracker.planNext(pollAt);
    const woken = await condition(this.retry.wakeRequested, Math.max(1, pollAt - nowMs()), { summary: 'next wxamplinkget poll' });
    this.retry.consumeWake();
    return !woken && nowMs() >= this.progress.deadlineMs ? 'deadline' : 'poll';
  }

  /**
   * Runs the workflow's stages: finishes a carried-over back-off, runs `stages`, and hands over to
   * a new run when they ask to (`'continue'`). A cancellation is recorded before it ends the run.
   */
  async runStages<R extends PairResult<string>>(stages: () => Promise<R | 'continue'>, handOver: (carried: PairCarryOver<S>) => Promise<never>): Promise<R> {
    try {
      await this.resumeBackOff();
      const ended = await stages();
      if (ended === 'continue') return await handOver(this.carryOver());
      await this.feed.leave();
      await this.announceEnd(ended);
      return ended;
    } catch (error) {
      if (isCancellation(error)) {
        this.tracker.markCancelled();
        await CancellationScope.nonCancellable(async () => {
          await this.feed.leave();
          const { status, transitions } = this.tracker.view();
          await this.announceEnd({ outcome: 'cancelled', status, transitions });
        });
      }
      throw error;
    }
  }

  /** The pair this workflow is about, as webhook events name it. */
  private pair(): { officialAccountAppId: string; miniProgramAppId: string } {
    return { officialAccountAppId: this.input.officialAccountAppId, miniProgramAppId: this.input.miniProgramAppId };
  }

  /** Posts the status changes not announced yet (only when the caller asked for them, and a receiver is set). */
  private async announceTransitions(): Promise<void> {
    if (!this.notifier.wantsTransitions) return;
    const { transitions } = this.tracker.view();
    for (let index = this.progress.transitionsAnnounced ?? 0; index < transitions.length; index++) {
      await this.notifier.announce({
        type: WebhookEventType.StatusChanged,
        pair: this.pair(),
        outcome: null,
        status: transitions[index]?.status ?? null,
        errcode: null,
        transitions: transitions.slice(0, index + 1),
      });
      this.progress.transitionsAnnounced = index + 1;
    }
  }

  /** Posts the outcome, or `cancelled` (after any status change not announced yet), to the webhook receivers. */
  private async announceEnd(result: Pick<PairResult<string>, 'outcome' | 'status' | 'errcode' | 'transitions'>): Promise<void> {
    await this.announceTransitions();
    await this.notifier.announce({
      type: this.tracker.view().workflow === 'link' ? WebhookEventType.LinkFinished : WebhookEventType.UnlinkFinished,
      pair: this.pair(),
      outcome: result.outcome,
      status: result.status,
      errcode: result.errcode ?? null,
      transitions: result.transitions,
    });
  }

  /**
   * The result for a call that did not succeed: `refused` or `timed_out` (same names in the link
   * and unlink outcomes), or `'continue'` with the back-off remembered for the next run.
   */
  stopOn(call: Exclude<RetriedCall<unknown>, { kind: 'ok' }>): PairResult<'refused' | 'timed_out'> | 'continue' {
    if (call.kind === 'refused') return this.tracker.finish('refused', call.failure);
    if (call.kind === 'deadline') return this.tracker.finish('timed_out');
    // `unsure` comes only to callers that asked for it; the back-off is over, go on in a new run.
    this.progress.resumeAtMs = call.kind === 'continue' ? call.retryAtMs : null;
    return 'continue';
  }

  /**
   * Whether this run's send may join the account's watcher itself ({@link JOIN_WITH_SEND_PATCH}).
   * Call it in the run's first activation, before any local activity: a patch marker that follows
   * one in the same workflow task does not replay in the same place. A run that joins this way
   * waits on the watcher, so {@link ACCOUNT_WATCH_PATCH} is decided here too.
   */
  decideJoinWithSend(): boolean {
    if (!patched(JOIN_WITH_SEND_PATCH)) return false;
    this.coalesced ??= patched(ACCOUNT_WATCH_PATCH);
    return this.coalesced;
  }

  /** This workflow as the account's watcher knows a waiter, for the send activity to join. */
  waiter(): Waiter {
    return this.feed.waiter();
  }

  /** The send activity joined the watcher as `waiter`: the first wait does not join again. */
  joinedWithSend(waiter: Waiter): void {
    this.feed.joinedElsewhere(waiter);
  }

  /** The request was sent (or was already pending): from now on the workflow waits and polls. */
  startWaiting(waitStage: S): void {
    this.progress.stage = waitStage;
    this.tracker.clearError();
    this.tracker.enterPhase(LinkPhase.Waiting);
  }

  /**
   * The account's entries at the next poll, or how the workflow ends (`timed_out`, `refused`), or
   * `'continue'`. The account's watcher polls for every workflow waiting on the account; runs
   * recorded before it existed wait until their own poll is due and poll (retrying within the
   * deadline).
   */
  async pollAfterWait(fetch: () => Promise<{ items: SnapshotItem[] }>): Promise<SnapshotItem[] | PairResult<'refused' | 'timed_out'> | 'continue'> {
    // The last answer's status change, if any, goes out before the wait for the next.
    await this.announceTransitions();
    this.coalesced ??= patched(ACCOUNT_WATCH_PATCH);
    if (this.coalesced) return this.feed.next();
    const next = await this.waitForNextPoll();
    if (next === 'continue') return 'continue';
    if (next === 'deadline') return this.tracker.finish('timed_out');
    const polled = await callWithRetries(fetch, this.retry);
    if (polled.kind !== 'ok') return this.stopOn(polled);
    this.tracker.countPolls(1);
    return polled.value.items;
  }

  /**
   * The entry, once listed, is missing from an answer: true when that settles it (the second such
   * answer in a row), false to wait for the next answer, which comes one `pollInterval` later.
   */
  absenceConfirmed(): boolean {
    if (!patched(CONFIRM_ABSENCE_PATCH)) return true;
    this.progress.absentAnswers = (this.progress.absentAnswers ?? 0) + 1;
    if (this.progress.absentAnswers >= 2) return true;
    this.tracker.noteUnmatched('missing from the last answer: the next one decides (one answer alone is not trusted)');
    this.progress.statusChanged = true;
    return false;
  }

  /** Other waiting workflows' claims on entries without `appid` (see {@link WatcherAnswers.rivals}). */
  rivals(): readonly RivalClaim[] {
    return this.coalesced ? this.feed.rivals() : [];
  }

  /** Tells the account's watcher the username this workflow learned, so no other waiter counts it as its own. */
  async claimLearned(): Promise<void> {
    if (this.coalesced && patched(ENTRY_CLAIMS_PATCH)) await this.feed.updateClaim();
  }

  /** The entry is listed again: a missing one before that was a glitch. */
  entryListed(): void {
    this.progress.absentAnswers = 0;
  }

  /** The state to pass to the next run. */
  carryOver(): PairCarryOver<S> {
    return {
      ...this.progress,
      consecutiveFailures: this.retry.consecutiveFailures,
      failuresByType: this.retry.failuresByType,
      tracker: this.tracker.snapshot(),
    };
  }
}
