/**
 * `unlinkMiniProgram`: check that the mini program is linked, send `wxampunlink`, then wait for
 * the official-account admin to confirm — until the entry is gone from `wxamplinkget`.
 */
import { ApplicationFailure, continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  linkWorkflowId,
  UnlinkOutcome,
  USERNAME_REQUIRED_FAILURE_TYPE,
  WxOpenStatus,
  type SnapshotItem,
  type UnlinkInput,
  type UnlinkResult,
} from './contract';
import { inputOrFail } from './support/input-or-fail';
import { matchEntry, type MatchResult } from './pair/match-entry';
import { PairWorkflow, type PairCarryOver } from './pair/pair-workflow';
import { callWithRetries } from './pair/retrying-call';
import { WECHAT_ACTIVITY_OPTIONS } from './support/wechat-activity-options';
import { normalizeUnlinkInput, type NormalizedWaitInput } from './support/validate-input';

const { sendUnlinkRequest, fetchLinkSnapshot } = proxyActivities<Activities>(WECHAT_ACTIVITY_OPTIONS);

/** The stages of an unlink: check for a running link, look at the entry, send, wait. */
type UnlinkStage = 'check' | 'snapshot' | 'send' | 'wait';

/** An unlink's state, carried from one run to the next by continue-as-new. */
export type UnlinkCarryOver = PairCarryOver<UnlinkStage>;

/** Unlinks a mini program from an official account. See `shared/DESIGN.md` for the contract. */
export async function unlinkMiniProgram(rawInput: UnlinkInput, carried?: UnlinkCarryOver): Promise<UnlinkResult> {
  const input = inputOrFail(normalizeUnlinkInput, rawInput);
  const session = new PairWorkflow<UnlinkStage>('unlink', input, 'check', carried);
  return session.runStages(
    () => sendAndWait(input, session),
    (next) => continueAsNew<typeof unlinkMiniProgram>(rawInput, next),
  );
}

async function sendAndWait(input: NormalizedWaitInput, session: PairWorkflow<UnlinkStage>): Promise<UnlinkResult | 'continue'> {
  const { progress, tracker, retry } = session;
  const account = { officialAccountAppId: input.officialAccountAppId };
  const find = (items: SnapshotItem[]): MatchResult =>
    matchEntry(items, {
      miniProgramAppId: input.miniProgramAppId,
      knownUsername: progress.knownUsername,
      baselineUsernames: null,
      invitationPredatesSend: false,
    });

  if (progress.stage === 'check') {
    await session.checkAndReadPolicy(linkWorkflowId(input.officialAccountAppId, input.miniProgramAppId), 'a link');
    progress.stage = 'snapshot';
  }

  if (progress.stage === 'snapshot') {
    const current = await callWithRetries(() => fetchLinkSnapshot(account), retry);
    if (current.kind !== 'ok') return session.stopOn(current);
    const match = find(current.value.items);
    if (match.kind !== 'found') {
      failIfUnidentifiable(current.value.items, progress.knownUsername);
      // Absent: nothing to unlink, and nothing is sent.
      return tracker.finish(UnlinkOutcome.NotLinked);
    }
    tracker.observeEntry(match.item, match.by);
    // A pending or refused invitation is not a link; WeChat has nothing to unlink either.
    if (match.item.status !== WxOpenStatus.Linked) return tracker.finish(UnlinkOutcome.NotLinked);
    progress.knownUsername = match.item.username;
    progress.stage = 'send';
  }

  if (progress.stage === 'send') {
    const sent = await callWithRetries(
      () => sendUnlinkRequest({ officialAccountAppId: input.officialAccountAppId, miniProgramAppId: input.miniProgramAppId }),
      retry,
    );
    if (sent.kind !== 'ok') return session.stopOn(sent);
    // 89018 (the unlink message was already sent) means the same as errcode 0: wait for the admin.
    session.startWaiting('wait');
  }

  for (;;) {
    const items = await session.pollAfterWait(() => fetchLinkSnapshot(account));
    if (!Array.isArray(items)) return items;
    const match = find(items);
    if (match.kind !== 'found') {
      if (session.absenceConfirmed()) return tracker.finish(UnlinkOutcome.Unlinked);
      continue;
    }
    session.entryListed();
    progress.statusChanged = tracker.observeEntry(match.item, match.by);
  }
}

/**
 * Without `appid` in the answer and without a username, an absent entry proves nothing: fail
 * rather than claim `not_linked` (or unlink someone else's mini program).
 */
function failIfUnidentifiable(items: SnapshotItem[], knownUsername: string | null): void {
  const withoutAppId = items.filter((item) => item.appid === undefined);
  if (knownUsername === null && withoutAppId.length > 0) {
    throw ApplicationFailure.create({
      type: USERNAME_REQUIRED_FAILURE_TYPE,
      message: `wxamplinkget lists ${withoutAppId.length} entr${withoutAppId.length === 1 ? 'y' : 'ies'} without appid: pass miniProgramUsername (the gh_… id) so that the right one is unlinked`,
      nonRetryable: true,
    });
  }
}
