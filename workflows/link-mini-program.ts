/**
 * `linkMiniProgram`: send the invitation, then wait — durably, for minutes or days — until the
 * two admins have acted, the invitation has lapsed, or the deadline has passed. A long wait goes
 * on in fresh runs (continue-as-new) that carry its state, so no history grows without bound.
 */
import { continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SendLinkInvitationResult } from '../activities/link-activities';
import { sendMayHaveLanded } from './support/activity-failures';
import { reportingToCampaign } from './campaign/campaign-report';
import { LinkOutcome, unlinkWorkflowId, WxOpenStatus, type LinkInput, type LinkResult } from './contract';
import { inputOrFail } from './support/input-or-fail';
import { matchEntry } from './pair/match-entry';
import { PairWorkflow, type PairCarryOver } from './pair/pair-workflow';
import { LOOK_BEFORE_RESEND_PATCH } from './patches';
import { callWithRetries, type RetriedCall, type RetryContext } from './pair/retrying-call';
import { WECHAT_ACTIVITY_OPTIONS } from './support/wechat-activity-options';
import { normalizeLinkInput, type NormalizedLinkInput } from './support/validate-input';

const { sendLinkInvitation, fetchLinkSnapshot } = proxyActivities<Activities>(WECHAT_ACTIVITY_OPTIONS);

/** The stages of a link: snapshot before sending (when needed), send, wait. */
type LinkStage = 'check' | 'snapshot' | 'send' | 'wait';

/** A link's state, carried from one run to the next by continue-as-new. */
export type LinkCarryOver = PairCarryOver<LinkStage>;

/** Links a mini program to an official account. See `shared/DESIGN.md` for the contract. */
export async function linkMiniProgram(rawInput: LinkInput, carried?: LinkCarryOver): Promise<LinkResult> {
  const input = inputOrFail(normalizeLinkInput, rawInput);
  const session = new PairWorkflow<LinkStage>('link', input, 'check', carried);
  return reportingToCampaign(
    input.campaignId,
    () => session.tracker,
    () =>
      session.runStages(
        () => sendAndWait(input, session),
        (next) => continueAsNew<typeof linkMiniProgram>(rawInput, next),
      ),
  );
}

/** Runs the stages from where the session stands; resolves with the result, or `'continue'`. */
async function sendAndWait(input: NormalizedLinkInput, session: PairWorkflow<LinkStage>): Promise<LinkResult | 'continue'> {
  const { progress, tracker, retry } = session;
  // Decided in the run's first activation, before any local activity: a patch marker that follows
  // a local activity in the same workflow task does not replay in the same place.
  const lookFirst = progress.stage !== 'wait' && patched(LOOK_BEFORE_RESEND_PATCH);
  const joinWithSend = progress.stage !== 'wait' && session.decideJoinWithSend();
  const account = { officialAccountAppId: input.officialAccountAppId };

  if (progress.stage === 'check') {
    // A link and an unlink of the same pair would undo each other: refuse before calling WeChat.
    await session.checkAndReadPolicy(unlinkWorkflowId(input.officialAccountAppId, input.miniProgramAppId), 'an unlink');
    progress.stage = input.miniProgramUsername === null ? 'snapshot' : 'send';
  }

  if (progress.stage === 'snapshot') {
    // Older wxamplinkget answers carry no appid: remember who was listed before the invitation, so
    // that the entry it creates can be told apart. Not needed when the caller knows the username.
    const baseline = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (baseline.kind !== 'ok') return session.stopOn(baseline);
    progress.baselineUsernames = baseline.value.items.map((item) => item.username);
    progress.stage = 'send';
  }

  if (progress.stage === 'send') {
    const sent = await sendOnce(input, session, { lookFirst, joinWithSend });
    // The lost answer was 89015: the entry was linked before this workflow's invitation.
    if (sent === 'already_linked') return tracker.finish(LinkOutcome.AlreadyLinked);
    if (sent === 'waiting') {
      session.startWaiting('wait');
    } else {
      if (sent.kind !== 'ok') return session.stopOn(sent);
      if (sent.value.answer === 'already_linked') return tracker.finish(LinkOutcome.AlreadyLinked, sent.value);
      progress.invitationPredatesSend = sent.value.answer === 'invitation_pending';
      session.startWaiting('wait');
    }
  }

  for (;;) {
    const items = await session.pollAfterWait(() => fetchLinkSnapshot(account));
    if (!Array.isArray(items)) return items;

    const match = matchEntry(items, {
      miniProgramAppId: input.miniProgramAppId,
      knownUsername: progress.knownUsername,
      baselineUsernames: progress.baselineUsernames,
      invitationPredatesSend: progress.invitationPredatesSend,
      rivals: session.rivals(),
    });
    if (match.kind !== 'found') {
      // Listed once, gone now: the invitation lapsed or an admin declined it.
      if (progress.everListed) {
        if (session.absenceConfirmed()) return tracker.finish(LinkOutcome.Expired);
        continue;
      }
      tracker.noteUnmatched(match.note, match.kind === 'ambiguous' ? match.candidates : []);
      progress.statusChanged = false;
      continue;
    }
    progress.everListed = true;
    session.entryListed();
    const learnedByElimination = progress.knownUsername === null && (match.by === 'snapshot_diff' || match.by === 'only_pending_entry');
    progress.knownUsername = match.item.username;
    progress.statusChanged = tracker.observeEntry(match.item, match.by);
    if (match.item.status === WxOpenStatus.Linked) return tracker.finish(LinkOutcome.Linked);
    if (match.item.status === WxOpenStatus.RefusedByMiniProgramAdmin) return tracker.finish(LinkOutcome.Rejected);
    // Other links waiting on the account must stop counting this entry as possibly theirs.
    if (learnedByElimination) await session.claimLearned();
  }
}

// The id lives in patches.ts; re-exported so that older imports keep compiling.
export { LOOK_BEFORE_RESEND_PATCH };

/**
 * Sends the invitation at most once per pair unless a list shows no entry: when a send may have
 * reached WeChat (no answer, a garbled one, a 5xx, a worker that died mid-call), the account's list
 * is read before sending again, and an entry there (by appid, known username or new since the
 * baseline) means the invitation is out: `'waiting'`, nothing resent.
 */
async function sendOnce(
  input: NormalizedLinkInput,
  session: PairWorkflow<LinkStage>,
  { lookFirst, joinWithSend }: { lookFirst: boolean; joinWithSend: boolean },
): Promise<RetriedCall<SendLinkInvitationResult> | 'waiting' | 'already_linked'> {
  const { progress, retry } = session;
  for (;;) {
    if (progress.sendUnsure) {
      // A call of its own: its success must not reset the send's failures (and so its back-off).
      const look: RetryContext = { ...retry, consecutiveFailures: 0, failuresByType: {} };
      const listed = await callWithRetries(() => fetchLinkSnapshot({ officialAccountAppId: input.officialAccountAppId }), look);
      if (listed.kind !== 'ok') return listed;
      progress.sendUnsure = false;
      const match = matchEntry(listed.value.items, {
        miniProgramAppId: input.miniProgramAppId,
        knownUsername: progress.knownUsername,
        baselineUsernames: progress.baselineUsernames,
        invitationPredatesSend: false,
      });
      if (match.kind === 'found' && match.item.status === WxOpenStatus.Linked && progress.baselineUsernames?.includes(match.item.username))
        return 'already_linked';
      // Found, or several new entries one of which is ours: the invitation is out.
      if (match.kind !== 'absent') {
        session.tracker.noteUnmatched('the answer to wxamplink was lost; the list shows the invitation is out, so it was not sent again');
        return 'waiting';
      }
    }
    // The waiter as it stands now: its claim (the baseline) does not change before the first wait.
    const waiter = joinWithSend ? session.waiter() : undefined;
    const sent = await callWithRetries(
      () =>
        sendLinkInvitation({
          officialAccountAppId: input.officialAccountAppId,
          miniProgramAppId: input.miniProgramAppId,
          notifyUsers: input.notifyUsers,
          showProfile: input.showProfile,
          ...(waiter && { joinWatch: waiter }),
        }),
      retry,
      lookFirst ? { unsure: sendMayHaveLanded } : {},
    );
    if (sent.kind === 'ok' && sent.value.joinedWatch === true && waiter) session.joinedWithSend(waiter);
    if (sent.kind !== 'unsure') return sent;
    progress.sendUnsure = true;
  }
}
