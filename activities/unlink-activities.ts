/** The activities of unlinking and listing: `wxampunlink`, and `wxamplinkget` with every field. */
import { ApplicationFailure } from '@temporalio/common';
import { statusMeaning, WeChatFailureType, type LinkedMiniProgram } from '../common/wechat-answers';
import { BenignAnswer } from './errcodes';
import { callWeChat, type CallDeps } from './call-wechat';
import { linkedItems } from './link-activities';

/** Input of `sendUnlinkRequest`. */
export interface SendUnlinkRequestInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
}

/** How WeChat took the unlink request. */
export interface SendUnlinkRequestResult {
  /** `sent`: errcode 0; `unlink_pending`: 89018 (the message to the admin was already sent). */
  answer: 'sent' | typeof BenignAnswer.UnlinkPending;
  errcode: number;
  errmsg: string;
}

/** Builds the unlink and list activities. */
export function createUnlinkActivities(deps: CallDeps) {
  return {
    /** Sends `wxampunlink`. 89018 is an answer, not a failure. */
    async sendUnlinkRequest(input: SendUnlinkRequestInput): Promise<SendUnlinkRequestResult> {
      const outcome = await callWeChat(deps, input.officialAccountAppId, 'wxampunlink', { appid: input.miniProgramAppId });
      if (outcome.kind === 'ok') return { answer: 'sent', errcode: 0, errmsg: 'ok' };
      if (outcome.benign === BenignAnswer.UnlinkPending) return { answer: outcome.benign, errcode: outcome.errcode, errmsg: outcome.errmsg };
      throw ApplicationFailure.create({ type: WeChatFailureType.Refused, message: `wxampunlink: unexpected answer ${outcome.errcode}`, nonRetryable: true });
    },

    /** Every entry of `wxamplinkget`, every field kept, plus the meaning of its status. */
    async listLinkedMiniPrograms(input: { officialAccountAppId: string }): Promise<LinkedMiniProgram[]> {
      const outcome = await callWeChat(deps, input.officialAccountAppId, 'wxamplinkget', {});
      if (outcome.kind !== 'ok') {
        throw ApplicationFailure.create({ type: WeChatFailureType.Refused, message: `wxamplinkget: unexpected answer ${outcome.errcode}`, nonRetryable: true });
      }
      return linkedItems(outcome.answer).map((item) => ({ ...item, statusMeaning: statusMeaning(item.status) }));
    },
  };
}
