/**
 * `linkMiniProgram`: send the invitation, then wait — durably, for minutes or days — until the
 * two admins have acted, the invitation has lapsed, or the deadline has passed.
 */
import {
  ApplicationFailure,
  condition,
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
import { LinkTracker } from './link-tracker';
import { matchEntry } from './match-entry';
import { callWithRetries, type RetryContext } from './retrying-call';
import { InputValidationError, normalizeLinkInput, type NormalizedLinkInput } from './validate-input';
import { nowMs } from './workflow-clock';

const { sendLinkInvitation, fetchLinkSnapshot } = proxyActivities<Activities>({
  // The HTTP client gives up after its own time-out (10 s by default); this only catches a worker
  // that died mid-call. One attempt per activity: the workflow retries, per failure type.
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 1 },
});

/** Links a mini program to an official account. See `shared/DESIGN.md` for the contract. */
export async function linkMiniProgram(rawInput: LinkInput): Promise<LinkResult> {
  const input = validInputOrFail(rawInput);
  const deadlineMs = nowMs() + input.timeoutMs;

  upsertSearchAttributes([
    { key: WxOfficialAccountAppId, value: input.officialAccountAppId },
    { key: WxMiniProgramAppId, value: input.miniProgramAppId },
  ]);
  const tracker = new LinkTracker('link', input.officialAccountAppId, input.miniProgramAppId, deadlineMs);
  let pollRequested = false;
  setHandler(getLinkState, () => tracker.view());
  setHandler(pollNow, () => {
    pollRequested = true;
  });
  const retry: RetryContext = {
    tracker,
    intervals: input,
    deadlineMs,
    wakeRequested: () => pollRequested,
    consumeWake: () => {
      pollRequested = false;
    },
  };

  try {
    return await sendAndWait(input, tracker, retry);
  } catch (error) {
    if (isCancellation(error)) tracker.markCancelled();
    throw error;
  }
}

async function sendAndWait(input: NormalizedLinkInput, tracker: LinkTracker, retry: RetryContext): Promise<LinkResult> {
  const account = { officialAccountAppId: input.officialAccountAppId };

  // Older wxamplinkget answers carry no appid: remember who was listed before the invitation, so
  // that the entry it creates can be told apart. Not needed when the caller knows the username.
  let baselineUsernames: string[] | null = null;
  if (input.miniProgramUsername === null) {
    const baseline = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (baseline.kind === 'refused') return tracker.finish(LinkOutcome.Refused, baseline.failure);
    if (baseline.kind === 'deadline') return tracker.finish(LinkOutcome.TimedOut);
    baselineUsernames = baseline.value.items.map((item) => item.username);
  }

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
  if (sent.kind === 'refused') return tracker.finish(LinkOutcome.Refused, sent.failure);
  if (sent.kind === 'deadline') return tracker.finish(LinkOutcome.TimedOut);
  if (sent.value.answer === 'already_linked') return tracker.finish(LinkOutcome.AlreadyLinked, sent.value);
  tracker.clearError();
  tracker.enterPhase(LinkPhase.Waiting);

  let knownUsername = input.miniProgramUsername;
  let everListed = false;
  let delayMs: number | null = null;
  let changed = false;
  for (;;) {
    delayMs = nextPollDelay(delayMs, changed, input);
    const pollAt = Math.min(nowMs() + delayMs, retry.deadlineMs);
    tracker.planNext(pollAt);
    const woken = await condition(retry.wakeRequested, Math.max(1, pollAt - nowMs()), { summary: 'next wxamplinkget poll' });
    retry.consumeWake();
    if (!woken && nowMs() >= retry.deadlineMs) return tracker.finish(LinkOutcome.TimedOut);

    const polled = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (polled.kind === 'refused') return tracker.finish(LinkOutcome.Refused, polled.failure);
    if (polled.kind === 'deadline') return tracker.finish(LinkOutcome.TimedOut);
    tracker.countPoll();

    const match = matchEntry(polled.value.items, {
      miniProgramAppId: input.miniProgramAppId,
      knownUsername,
      baselineUsernames,
      invitationPredatesSend: sent.value.answer === 'invitation_pending',
    });
    if (match.kind !== 'found') {
      // Listed once, gone now: the invitation lapsed or an admin declined it.
      if (everListed) return tracker.finish(LinkOutcome.Expired);
      tracker.noteUnmatched(match.note, match.kind === 'ambiguous' ? match.candidates : []);
      changed = false;
      continue;
    }
    everListed = true;
    knownUsername = match.item.username;
    changed = tracker.observeEntry(match.item, match.by);
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
