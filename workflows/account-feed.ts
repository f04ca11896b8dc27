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
import { accountPolled, joinAccountWatch, leaveAccountWatch, pollAccountNow, type AccountAnswer, type Waiter, type WatchInput } from './account-watch-protocol';
import { WorkflowType, watchWorkflowId, type PairResult, type SnapshotItem } from './contract';
import type { LinkTracker } from './link-tracker';
import type { NormalizedWaitInput } from './validate-input';
import { nowMs } from './workflow-clock';

/** How many times to alternate "signal the watcher" and "start it" while it is ending under us. */
const JOIN_ATTEMPTS = 5;

/**
 * The watchdog's period, in `maxPollInterval`s (an hour by default; see
 * {@link AccountFeed.startClock}). Each tick costs a timer, a signal and an answer per waiting
 * link, so it is kept rare: thousands of links must not re-join every few minutes.
 */
const WATCHDOG_INTERVALS = 12;

/** What the feed needs from its workflow. */
export interface FeedContext {
  /** Where the watcher's poll count at the last answer is kept (carried across continue-as-new). */
  run: { accountPollsSeen?: number | null };
  tracker: LinkTracker;
  deadlineMs: number;
  /** True when the workflow was asked to poll at once (`pollNow`). */
  wakeRequested: () => boolean;
  consumeWake: () => void;
  historyIsLong: () => boolean;
}

/** The answers of an account's watcher, for one run of a waiting workflow. */
export class AccountFeed {
  private readonly answers: AccountAnswer[] = [];
  private joined = false;
  private deadlinePassed = false;
  private ended = false;

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
    if (!this.joined) {
      tracker.planNext(Math.min(nowMs() + this.input.pollIntervalMs, this.context.deadlineMs));
      await this.join();
      this.joined = true;
      this.startClock();
    }
    for (;;) {
      const answer = this.answers.shift();
      if (answer?.kind === 'items') {
        tracker.countPolls(this.pollsSinceLastAnswer(answer.accountPolls), watchWorkflowId(this.input.officialAccountAppId), answer.accountPolls);
        this.expectAnswerAt(answer.nextPollAtMs);
        return answer.items;
      }
      if (answer?.kind === 'failed') {
        tracker.recordFailure(answer.failure, answer.consecutiveFailures);
        this.expectAnswerAt(answer.nextPollAtMs);
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

  /**
   * How many polls served this workflow since its last answer: the watcher only sends an answer
   * when it matters, so the ones in between (nothing changed) are counted from its poll count.
   */
  private pollsSinceLastAnswer(accountPolls: number): number {
    const seen = this.context.run.accountPollsSeen ?? null;
    this.context.run.accountPollsSeen = accountPolls;
    // First answer, or a new watcher that counts from zero again: this one answer.
    if (seen === null || accountPolls <= seen) return 1;
    return accountPolls - seen;
  }

  private expectAnswerAt(nextPollAtMs: number): void {
    this.context.tracker.planNext(Math.min(nextPollAtMs, this.context.deadlineMs));
  }

  /** Joins the account's watcher, starting one when none runs. */
  private async join(): Promise<void> {
    const waiter: Waiter = {
      workflowId: workflowInfo().workflowId,
      pollIntervalMs: this.input.pollIntervalMs,
      maxPollIntervalMs: this.input.maxPollIntervalMs,
      maxHistoryEvents: this.input.maxHistoryEvents,
    };
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
    const watchdogMs = WATCHDOG_INTERVALS * this.input.maxPollIntervalMs;
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
