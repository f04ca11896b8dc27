/**
 * `linkMiniProgram`: send the invitation, then wait — durably, for minutes or days — until the
 * two admins have acted, the invitation has lapsed, or the deadline has passed. A long wait goes
 * on in fresh runs (continue-as-new) that carry its state, so no history grows without bound.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  getLinkState,
  INVALID_INPUT_FAILURE_TYPE,
  LinkOutcome,
  LinkPhase,
  pollNow,
  WxMiniProgramAppId,
  WxOfficialAccountAppId,
  WxOpenStatus,
  type LinkInput,
  type LinkResult,
} from './contract';
import { nextPollDelay } from './backoff';
import { historyIsLong } from './history-budget';
import { LinkTracker, type TrackerSnapshot } from './link-tracker';
import { matchEntry } from './match-entry';
import { callWithRetries, type RetriedCall, type RetryContext } from './retrying-call';
import { InputValidationError, normalizeLinkInput, type NormalizedLinkInput } from './validate-input';
import { nowMs } from './workflow-clock';

const { sendLinkInvitation, fetchLinkSnapshot } = proxyActivities<Activities>({
  // The HTTP client gives up after its own time-out (10 s by default); this only catches a worker
  // that died mid-call. One attempt per activity: the workflow retries, per failure type.
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 1 },
});

/** Where a link is in its story, carried from one run to the next by continue-as-new. */
export interface LinkCarryOver {
  /** The next thing to do: snapshot before sending, send, or wait. */
  stage: 'snapshot' | 'send' | 'wait';
  deadlineMs: number;
  /** Do nothing before this time (a retry's back-off that a previous run had begun). */
  resumeAtMs: number | null;
  baselineUsernames: string[] | null;
  invitationPredatesSend: boolean;
  knownUsername: string | null;
  everListed: boolean;
  pollDelayMs: number | null;
  statusChanged: boolean;
  pollRequested: boolean;
  consecutiveFailures: number;
  tracker: TrackerSnapshot;
}

/** Links a mini program to an official account. See `shared/DESIGN.md` for the contract. */
export async function linkMiniProgram(rawInput: LinkInput, carried?: LinkCarryOver): Promise<LinkResult> {
  const input = validInputOrFail(rawInput);
  const deadlineMs = carried?.deadlineMs ?? nowMs() + input.timeoutMs;

  upsertSearchAttributes([
    { key: WxOfficialAccountAppId, value: input.officialAccountAppId },
    { key: WxMiniProgramAppId, value: input.miniProgramAppId },
  ]);
  const tracker = new LinkTracker('link', input.officialAccountAppId, input.miniProgramAppId, deadlineMs, carried?.tracker);
  const run: Omit<LinkCarryOver, 'tracker'> = carried ?? {
    stage: input.miniProgramUsername === null ? 'snapshot' : 'send',
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
  const retry: RetryContext = {
    tracker,
    intervals: input,
    deadlineMs,
    wakeRequested: () => run.pollRequested,
    consumeWake: () => {
      run.pollRequested = false;
    },
    historyIsLong: () => historyIsLong(input.maxHistoryEvents),
    consecutiveFailures: carried?.consecutiveFailures ?? 0,
  };
  setHandler(getLinkState, () => tracker.view());
  setHandler(pollNow, () => {
    run.pollRequested = true;
  });
  const handOver = (): Promise<never> =>
    continueAsNew<typeof linkMiniProgram>(rawInput, { ...run, consecutiveFailures: retry.consecutiveFailures, tracker: tracker.snapshot() });

  try {
    if (run.resumeAtMs !== null) {
      await condition(retry.wakeRequested, Math.max(1, run.resumeAtMs - nowMs()), { summary: 'back-off carried over' });
      retry.consumeWake();
      run.resumeAtMs = null;
    }
    const ended = await sendAndWait(input, run, tracker, retry);
    if (ended === 'continue') return await handOver();
    return ended;
  } catch (error) {
    if (isCancellation(error)) tracker.markCancelled();
    throw error;
  }
}

/** Runs the stages from where `run` stands; resolves with the result, or `'continue'` to hand over. */
async function sendAndWait(
  input: NormalizedLinkInput,
  run: Omit<LinkCarryOver, 'tracker'>,
  tracker: LinkTracker,
  retry: RetryContext,
): Promise<LinkResult | 'continue'> {
  const account = { officialAccountAppId: input.officialAccountAppId };
  /** The result for a call that did not succeed, or `undefined` to go on. */
  const stopOn = (call: RetriedCall<unknown>): LinkResult | 'continue' | undefined => {
    if (call.kind === 'refused') return tracker.finish(LinkOutcome.Refused, call.failure);
    if (call.kind === 'deadline') return tracker.finish(LinkOutcome.TimedOut);
    if (call.kind === 'continue') {
      run.resumeAtMs = call.retryAtMs;
      return 'continue';
    }
    return undefined;
  };

  if (run.stage === 'snapshot') {
    // Older wxamplinkget answers carry no appid: remember who was listed before the invitation, so
    // that the entry it creates can be told apart. Not needed when the caller knows the username.
    const baseline = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (baseline.kind !== 'ok') return stopOn(baseline) ?? 'continue';
    run.baselineUsernames = baseline.value.items.map((item) => item.username);
    run.stage = 'send';
  }

  if (run.stage === 'send') {
    const sent = await callWithRetries(
      () =>
        sendLinkInvitation({
          officialAccountAppId: input.officialAccountAppId,
          miniProgramAppId: input.miniProgramAppId,
          notifyUsers: input.notifyUsers,
          showProfile: input.showProfile,
        }),
      retry,
    );
    if (sent.kind !== 'ok') return stopOn(sent) ?? 'continue';
    if (sent.value.answer === 'already_linked') return tracker.finish(LinkOutcome.AlreadyLinked, sent.value);
    run.invitationPredatesSend = sent.value.answer === 'invitation_pending';
    run.stage = 'wait';
    tracker.clearError();
    tracker.enterPhase(LinkPhase.Waiting);
  }

  for (;;) {
    if (retry.historyIsLong()) return 'continue';
    run.pollDelayMs = nextPollDelay(run.pollDelayMs, run.statusChanged, input);
    const pollAt = Math.min(nowMs() + run.pollDelayMs, retry.deadlineMs);
    tracker.planNext(pollAt);
    const woken = await condition(retry.wakeRequested, Math.max(1, pollAt - nowMs()), { summary: 'next wxamplinkget poll' });
    retry.consumeWake();
    if (!woken && nowMs() >= retry.deadlineMs) return tracker.finish(LinkOutcome.TimedOut);

    const polled = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (polled.kind !== 'ok') return stopOn(polled) ?? 'continue';
    tracker.countPoll();

    const match = matchEntry(polled.value.items, {
      miniProgramAppId: input.miniProgramAppId,
      knownUsername: run.knownUsername,
      baselineUsernames: run.baselineUsernames,
      invitationPredatesSend: run.invitationPredatesSend,
    });
    if (match.kind !== 'found') {
      // Listed once, gone now: the invitation lapsed or an admin declined it.
      if (run.everListed) return tracker.finish(LinkOutcome.Expired);
      tracker.noteUnmatched(match.note, match.kind === 'ambiguous' ? match.candidates : []);
      run.statusChanged = false;
      continue;
    }
    run.everListed = true;
    run.knownUsername = match.item.username;
    run.statusChanged = tracker.observeEntry(match.item, match.by);
    if (match.item.status === WxOpenStatus.Linked) return tracker.finish(LinkOutcome.Linked);
    if (match.item.status === WxOpenStatus.RefusedByMiniProgramAdmin) return tracker.finish(LinkOutcome.Rejected);
  }
}

/** The normalized input, or a non-retryable `InvalidInput` failure that names the field. */
function validInputOrFail(rawInput: LinkInput): NormalizedLinkInput {
  try {
    return normalizeLinkInput(rawInput);
  } catch (error) {
    if (error instanceof InputValidationError) {
      throw ApplicationFailure.create({
        type: INVALID_INPUT_FAILURE_TYPE,
        message: `Invalid input: ${error.message}`,
        nonRetryable: true,
        details: [{ field: error.field }],
      });
    }
    throw error;
  }
}
