/**
 * The state a link (or unlink) workflow shows the world: `getLinkState`, the `WxLinkStatus`
 * search attribute, the Web UI's current details, and finally the result. Every change goes
 * through this class so that the four always agree.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  LinkPhase,
  statusMeaning,
  WxLinkStatus,
  type EffectivePolling,
  type EntryMatching,
  type PairResult,
  type LinkState,
  type SnapshotItem,
} from '../contract';
import { toLastError, type FailureInfo } from '../support/activity-failures';
import { recordLinkCompleted, recordLinkPoll, recordLinkStarted } from './pair-metrics';
import { iso, nowMs } from '../support/workflow-clock';

/** What a tracker hands to the next run when the workflow continues as new. */
export interface PairStateSnapshot {
  state: LinkState;
  statusSince: number | null;
}

/** Keeps a workflow's {@link LinkState} and mirrors it to search attributes and current details. */
export class PairStateKeeper {
  private readonly state: LinkState;
  private statusSince: number | null = null;
  /** Told of every failure recorded (a campaign's link tells its campaign about rate limits). */
  onFailure: ((failure: FailureInfo) => void) | null = null;

  constructor(workflow: LinkState['workflow'], officialAccountAppId: string, miniProgramAppId: string, deadlineMs: number, resumed?: PairStateSnapshot) {
    if (resumed) {
      this.state = resumed.state;
      this.statusSince = resumed.statusSince;
      this.publish(true);
      return;
    }
    this.state = {
      workflow,
      officialAccountAppId,
      miniProgramAppId,
      phase: LinkPhase.Sending,
      status: null,
      statusMeaning: null,
      outcome: null,
      transitions: [],
      polls: 0,
      lastError: null,
      nextPollAt: null,
      deadline: iso(deadlineMs),
      username: null,
      nickname: null,
      matching: { by: null, note: null, candidates: [] },
      startedAt: iso(nowMs()),
      errcode: null,
      errmsg: null,
      accountWatch: null,
      effectivePolling: null,
    };
    recordLinkStarted(workflow);
    this.publish(true);
  }

  /** A copy of the current state, for the query. */
  view(): LinkState {
    return {
      ...this.state,
      transitions: [...this.state.transitions],
      matching: { ...this.state.matching },
      ...(this.state.accountWatch && { accountWatch: { ...this.state.accountWatch } }),
      ...(this.state.effectivePolling && { effectivePolling: { ...this.state.effectivePolling } }),
    };
  }

  /** Everything the next run needs to go on showing the same state. */
  snapshot(): PairStateSnapshot {
    return { state: this.view(), statusSince: this.statusSince };
  }

  /** Records the intervals that apply (the starter's, raised to the operator's floor). */
  setEffectivePolling(polling: EffectivePolling): void {
    this.state.effectivePolling = polling;
    this.publish(false);
  }

  /** The phase the workflow is in (a campaign's link reports WeChat's pace only while sending). */
  get phase(): LinkPhase {
    return this.state.phase;
  }

  /** Moves to a new phase (sending → waiting). */
  enterPhase(phase: LinkPhase): void {
    this.state.phase = phase;
    this.publish(true);
  }

  /**
   * Counts `count` `wxamplinkget` answers read by this workflow; `watch` names the account watcher
   * that sent them, with its own poll count at that moment.
   */
  countPolls(count: number, watch?: NonNullable<LinkState['accountWatch']>): void {
    this.state.polls += count;
    recordLinkPoll(this.state.workflow, count);
    if (watch) this.state.accountWatch = watch;
    this.clearError();
  }

  /**
   * Records our entry as listed; returns whether its status changed. `matching.by` keeps how the
   * entry was first told apart (later polls follow its username).
   */
  observeEntry(item: SnapshotItem, by: NonNullable<EntryMatching['by']>): boolean {
    this.state.username = item.username;
    if (item.nickname !== undefined) this.state.nickname = item.nickname;
    this.state.matching = { by: this.state.matching.by ?? by, note: null, candidates: [] };
    const changed = this.state.status !== item.status;
    if (changed) {
      this.statusSince = nowMs();
      this.state.status = item.status;
      this.state.statusMeaning = statusMeaning(item.status);
      this.state.transitions.push({ status: item.status, at: iso(this.statusSince) });
    }
    this.publish(false);
    return changed;
  }

  /** Records why our entry is not identified yet. */
  noteUnmatched(note: string, candidates: string[] = []): void {
    this.state.matching = { by: this.state.matching.by, note, candidates };
    this.publish(false);
  }

  /** Records a failed call and when the next try is. */
  recordFailure(failure: FailureInfo, consecutiveFailures: number): void {
    this.state.lastError = toLastError(failure, consecutiveFailures, nowMs());
    this.publish(false);
    this.onFailure?.(failure);
  }

  /** A call succeeded: the last error is history (it stays in the result only if the workflow ends on it). */
  clearError(): void {
    this.state.lastError = null;
  }

  /** Sets when the next poll or retry happens (`null`: none planned). */
  planNext(atMs: number | null): void {
    this.state.nextPollAt = atMs === null ? null : iso(atMs);
    this.publish(false);
  }

  /** Ends the workflow's story with an outcome; returns the result to return. */
  finish<O extends string>(outcome: O, refusal?: { errcode?: number; errmsg?: string }): PairResult<O> {
    this.state.outcome = outcome;
    this.state.phase = LinkPhase.Done;
    this.state.nextPollAt = null;
    if (refusal?.errcode !== undefined) this.state.errcode = refusal.errcode;
    if (refusal?.errmsg !== undefined) this.state.errmsg = refusal.errmsg;
    recordLinkCompleted(this.state.workflow, outcome, this.state.startedAt);
    this.publish(true);
    const { state } = this;
    return {
      outcome,
      officialAccountAppId: state.officialAccountAppId,
      miniProgramAppId: state.miniProgramAppId,
      status: state.status,
      username: state.username,
      nickname: state.nickname,
      polls: state.polls,
      transitions: [...state.transitions],
      ...(state.errcode !== null && { errcode: state.errcode }),
      ...(state.errmsg !== null && { errmsg: state.errmsg }),
      ...(state.lastError !== null && { lastError: state.lastError }),
    };
  }

  /** Marks the workflow cancelled in the search attribute before Temporal ends it. */
  markCancelled(): void {
    this.state.outcome = 'cancelled';
    this.state.phase = LinkPhase.Done;
    this.state.nextPollAt = null;
    recordLinkCompleted(this.state.workflow, 'cancelled', this.state.startedAt);
    this.publish(true);
  }

  /** Mirrors the state to the Web UI: `WxLinkStatus` (when it changes) and the current details. */
  private publish(statusChanged: boolean): void {
    if (statusChanged) upsertSearchAttributes([{ key: WxLinkStatus, value: this.state.outcome ?? this.state.phase }]);
    setCurrentDetails(describeState(this.state, this.statusSince));
  }
}

/** The Web UI's "current details": one short paragraph a person reads at a glance. */
export function describeState(state: LinkState, statusSinceMs: number | null): string {
  const verb = state.workflow === 'link' ? 'Linking' : 'Unlinking';
  const lines = [
    `**${verb} ${state.miniProgramAppId} ${state.workflow === 'link' ? 'to' : 'from'} ${state.officialAccountAppId}** — ${state.outcome ?? state.phase}`,
  ];
  if (state.status !== null) {
    lines.push(`Status ${state.status} (${state.statusMeaning ?? ''})${statusSinceMs !== null ? ` since ${iso(statusSinceMs)}` : ''}.`);
  }
  lines.push(`${state.polls} poll${state.polls === 1 ? '' : 's'}${state.nextPollAt ? `, next at ${state.nextPollAt}` : ''}; deadline ${state.deadline}.`);
  if (state.accountWatch && state.outcome === null) {
    lines.push(
      `Polled by the account's watcher ${state.accountWatch.workflowId}, which wakes this workflow only when something changed; the watcher's own state shows its next poll.`,
    );
  }
  if (state.effectivePolling?.clamped) {
    lines.push(`Polls at most every ${state.effectivePolling.pollIntervalMs} ms (raised to the operator's floor, WXAMP_MIN_POLL_INTERVAL).`);
  }
  if (state.matching.note) lines.push(`Matching: ${state.matching.note}.`);
  if (state.lastError) lines.push(`Last error (${state.lastError.consecutiveFailures}× in a row): ${state.lastError.message}`);
  if (state.errcode !== null) lines.push(`WeChat answered errcode ${state.errcode}: ${state.errmsg ?? ''}`);
  return lines.join('\n\n');
}
