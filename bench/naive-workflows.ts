/**
 * The naive baseline, as teams write it today: one workflow per link that sends `wxamplink` once,
 * then sleeps `pollInterval` and polls `wxamplinkget` on its own, forever at the same pace, until
 * its entry shows status 1 or 3. No back-off, no sharing between the links of an account.
 *
 * Workflow code: deterministic, no I/O (the bench bundles it on its own, apart from ours).
 */
import { proxyActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { LinkPhase, WxLinkStatus } from '../workflows/contract';
import { nowMs } from '../workflows/support/workflow-clock';
import type { NaiveActivities } from './naive-activities';

const { naiveSendInvitation, naiveListLinks } = proxyActivities<NaiveActivities>({ startToCloseTimeout: '10s' });

/** Input of {@link naiveLinkMiniProgram}. */
export interface NaiveLinkInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
  pollIntervalMs: number;
  /**
   * Start-rate phase only: mark `WxLinkStatus = 'waiting'` once the invitation is out (in the
   * workflow task that starts the first sleep, so it costs no task), the marker ours sets too.
   */
  markWaiting?: boolean;
}

/** What {@link naiveLinkMiniProgram} returns once its entry is final. */
export interface NaiveLinkResult {
  status: number;
  polls: number;
  /** Workflow time (epoch ms) of the workflow task that read the final status: when it knew. */
  knownAtMs: number;
}

/** Sends the invitation, then polls every `pollIntervalMs` until the entry shows 1 or 3. */
export async function naiveLinkMiniProgram(input: NaiveLinkInput): Promise<NaiveLinkResult> {
  await naiveSendInvitation({ officialAccountAppId: input.officialAccountAppId, miniProgramAppId: input.miniProgramAppId });
  if (input.markWaiting) upsertSearchAttributes([{ key: WxLinkStatus, value: LinkPhase.Waiting }]);
  for (let polls = 1; ; polls++) {
    await sleep(input.pollIntervalMs);
    const items = await naiveListLinks(input.officialAccountAppId);
    const mine = items.find((item) => item.appid === input.miniProgramAppId);
    if (mine && (mine.status === 1 || mine.status === 3)) return { status: mine.status, polls, knownAtMs: nowMs() };
  }
}
