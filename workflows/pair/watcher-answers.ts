/**
 * A waiting link's (or unlink's) side of the account watcher: join the account's watcher (starting
 * it when none runs), take its answers, forward `pollNow`, keep a watchdog on it, and leave at
 * the end. The link then reads `wxamplinkget` answers as if it had polled itself, without a timer
 * or an activity of its own per poll — and is not woken at all while nothing changes.
 */
import {
  CancellationScope,
  ChildWorkflowCancellationType,
  condition,
  type ExternalWorkflowHandle,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  accountPolled,
  joinAccountWatch,
  leaveAccountWatch,
  pollAccountNow,
  WATCHDOG_INTERVALS,
  type AccountAnswer,
  type EntryClaim,
  type RivalClaim,
  type Waiter,
  type WatchInput,
} from '../watch/watch-protocol';
import { WorkflowType, watchWorkflowId, type PairResult, type SnapshotItem } from '../contract';
import type { WaitContext } from './wait-context';
import type { NormalizedWaitInput } from '../support/validate-input';
import { iso, nowMs } from '../support/workflow-clock';

/** How many times to alternate "signal the watcher" and "start it" while it is ending under us. */
const JOIN_ATTEMPTS = 5;

/** What the watcher's answers need from their workflow, beyond waiting: what it claims. */
export interface FeedContext extends WaitContext {
  /** What this waiter claims in answers without appid (its username, or its snapshot). */
  progress: { knownUsername: string | null; baselineUsernames: string[] | null };
}

/** The answers of an account's watcher, for one run of a waiting workflow. */
export class WatcherAnswers {
  private readonly answers: AccountAnswer[] = [];
  private joined = false;
  private clockStarted = false;
  private deadlinePassed = false;
  private ended = false;
  /** The claim the watcher knows for this waiter (sent with each join). */
  private claimSent: EntryClaim | null = null;
  /** Other waiters' claims in the last answer that carried them (answers without appid). */
  private rivalClaims: RivalClaim[] = [];

  constructor(
    private readonly input: NormalizedWaitInput,
    private readonly context: FeedContext,
  ) {
    setHandler(accountPolled, (answer) => {
      this.answers.push(answer);
    });
  }

  /**
   * The next answer: the account's entries, or how the wait ends (`timed_out`, `refused`), or
   * `'continue'` when this run's history is long. Failures are recorded in the state meanwhile.
   */
  async next(): Promise<SnapshotItem[] | PairResult<'refused' | 'timed_out'> | 'continue'> {
    const { tracker } = this.context;
    if (!this.clockStarted) {
      tracker.planNext(null);
      if (!this.joined) await this.join();
      this.joined = true;
      this.clockStarted = true;
      this.startClock();
    }
    for (;;) {
      const answer = this.answers.shift();
      if (answer?.kind === 'items') {
        // `polls` counts the answers this workflow read: exact whenever it is read. The watcher's
        // own count and next poll live in the watcher (named in `accountWatch`); this workflow is
        // not woken at every poll, so it says `null` rather than a time that will go stale.
        tracker.countPolls(1, { workflowId: watchWorkflowId(this.input.officialAccountAppId), polls: answer.accountPolls, lastAnswerAt: iso(nowMs()) });
        tracker.planNext(null);
        this.rivalClaims = (answer.claims ?? []).filter((claim) => claim.workflowId !== workflowInfo().workflowId);
        return answer.items;
      }
      if (answer?.kind === 'failed') {
        tracker.recordFailure(answer.failure, answer.consecutiveFailures);
        tracker.planNext(null);
        continue;
      }
      if (answer?.kind === 'refused') {
        this.ended = true;
        return tracker.finish('refused', answer.failure);
      }
      if (this.deadlinePassed) return tracker.finish('timed_out');
      if (this.context.historyIsLong()) return 'continue';
      if (this.context.wakeRequested()) {
        this.context.consumeWake();
        const askNow = (watcher: ExternalWorkflowHandle): Promise<void> => watcher.signal(pollAccountNow, workflowInfo().workflowId);
        // No watcher (terminated by hand, say): start one, then ask it.
        if (!(await this.signalWatcher(askNow))) {
          await this.join();
          await this.signalWatcher(askNow);
        }
        continue;
      }
      await condition(() => this.answers.length > 0 || this.deadlinePassed || this.context.wakeRequested());
    }
  }

  /** Tells the watcher this workflow no longer waits (best effort: a lost leave costs one answer). */
  async leave(): Promise<void> {
    this.ended = true;
    if (!this.joined) return;
    this.joined = false;
    await CancellationScope.nonCancellable(() => this.signalWatcher((watcher) => watcher.signal(leaveAccountWatch, workflowInfo().workflowId)));
  }

  /** Other waiting workflows' claims on entries without `appid`, as of the last answer. */
  rivals(): readonly RivalClaim[] {
    return this.rivalClaims;
  }

  /**
   * Tells the watcher what this waiter now claims (its entry's username, once learned), so that
   * other waiters stop counting it as theirs. Costs one signal, only when the claim changed.
   */
  async updateClaim(): Promise<void> {
    if (!this.joined || this.ended || sameClaim(this.claimSent, this.currentClaim())) return;
    await this.join();
  }

  /** This workflow as a waiter, for a join made elsewhere (the link's send activity). */
  waiter(): Waiter {
    return {
      workflowId: workflowInfo().workflowId,
      pollIntervalMs: this.context.intervals.pollIntervalMs,
      maxPollIntervalMs: this.context.intervals.maxPollIntervalMs,
      maxHistoryEvents: this.input.maxHistoryEvents,
      claim: this.currentClaim(),
    };
  }

  /** `waiter` joined the watcher outside this workflow: the first wait skips its own join. */
  joinedElsewhere(waiter: Waiter): void {
    this.claimSent = waiter.claim ?? null;
    this.joined = true;
  }

  private currentClaim(): EntryClaim {
    return { username: this.context.progress.knownUsername, baseline: this.context.progress.baselineUsernames };
  }

  /** Joins the account's watcher, starting one when none runs. */
  private async join(): Promise<void> {
    const waiter = this.waiter();
    this.claimSent = waiter.claim ?? null;
    const watcherId = watchWorkflowId(this.input.officialAccountAppId);
    for (let attempt = 1; ; attempt++) {
      if (await this.signalWatcher((watcher) => watcher.signal(joinAccountWatch, waiter))) return;
      try {
        const watchInput: WatchInput = { officialAccountAppId: this.input.officialAccountAppId, waiters: [waiter] };
        // The watcher serves every waiter of the account: it must outlive the one that started it,
        // and a cancellation arriving mid-start must not leave the start (and this workflow) hanging.
        await CancellationScope.nonCancellable(() =>
          startChild(WorkflowType.Watch, {
            workflowId: watcherId,
            args: [watchInput],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            cancellationType: ChildWorkflowCancellationType.ABANDON,
          }),
        );
        return;
      } catch (error) {
        if (isCancellation(error)) throw error;
        // Another waiter started it first (or it is just ending): signal it, or start it, again.
        if (attempt >= JOIN_ATTEMPTS) throw error;
      }
    }
  }

  /** Signals the account's watcher; false when no watcher runs. */
  private async signalWatcher(send: (watcher: ExternalWorkflowHandle) => Promise<void>): Promise<boolean> {
    try {
      await send(getExternalWorkflowHandle(watchWorkflowId(this.input.officialAccountAppId)));
      return true;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return false;
    }
  }

  /**
   * One timer at a time for both the deadline and the watchdog (a timer per answer would cost
   * more history than the answers). Answers come only when something changed, so silence proves
   * nothing: every few `maxPollInterval`s the waiter joins again. That is idempotent for a live
   * watcher (which then sends it a fresh answer: live `polls` and `nextPollAt` in its own state)
   * and starts a new one when the watcher is gone (terminated by hand, say).
   */
  private startClock(): void {
    const watchdogMs = WATCHDOG_INTERVALS * this.context.intervals.maxPollIntervalMs;
    const tick = async (): Promise<void> => {
      for (;;) {
        await sleep(Math.max(1, Math.min(this.context.deadlineMs, nowMs() + watchdogMs) - nowMs()));
        if (this.ended) return;
        if (nowMs() >= this.context.deadlineMs) {
          this.deadlinePassed = true;
          return;
        }
        await this.join();
      }
    };
    tick().catch((error: unknown) => {
      // A cancelled workflow cancels the timer; the main loop ends the workflow as cancelled.
      if (!isCancellation(error)) throw error;
    });
  }
}

function sameClaim(a: EntryClaim | null, b: EntryClaim): boolean {
  return (
    a !== null &&
    a.username === b.username &&
    (a.baseline ?? []).join('\n') === (b.baseline ?? []).join('\n') &&
    (a.baseline === null) === (b.baseline === null)
  );
}
