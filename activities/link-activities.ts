/**
 * The activities of linking: send the invitation (`wxamplink`) and read an account's snapshot
 * (`wxamplinkget`). Polls of one account that overlap share one request.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WeChatFailureType, type SnapshotItem } from '../common/wechat-answers';
import { BenignAnswer, CallScope } from './errcodes';
import { callWeChat, type CallDeps } from './call-wechat';
import { SingleFlight } from './single-flight';
import type { WeChatAnswer } from './wechat-client';
import type { Waiter } from '../common/account-watch';
import { joinOrStartWatcher } from './join-or-start-watcher';

/** Input of `sendLinkInvitation`. */
export interface SendLinkInvitationInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
  notifyUsers: boolean;
  showProfile: boolean;
  /**
   * Join the account's watcher as this waiter once WeChat has the invitation (sent, or pending
   * already): the link then waits without a workflow task of its own to join. Absent: don't.
   */
  joinWatch?: Waiter;
}

/** How WeChat took the invitation. */
export interface SendLinkInvitationResult {
  /** `sent`: errcode 0; `invitation_pending`: 89010 / 89035; `already_linked`: 89015. */
  answer: 'sent' | typeof BenignAnswer.InvitationPending | typeof BenignAnswer.AlreadyLinked;
  errcode: number;
  errmsg: string;
  /** The watcher took `joinWatch` (absent when none was asked, or the invitation is not waiting). */
  joinedWatch?: boolean;
}

/** Input of `fetchLinkSnapshot`. */
export interface FetchLinkSnapshotInput {
  officialAccountAppId: string;
}

/** The account's entries as `wxamplinkget` lists them, cut to what waiting needs. */
export interface LinkSnapshot {
  items: SnapshotItem[];
}

/** Builds the link activities. */
export function createLinkActivities(deps: CallDeps) {
  const snapshotFlights = new SingleFlight<LinkSnapshot>();

  return {
    /** Sends `wxamplink`. 89010, 89035 and 89015 are answers, not failures. */
    async sendLinkInvitation(input: SendLinkInvitationInput): Promise<SendLinkInvitationResult> {
      const outcome = await callWeChat(deps, input.officialAccountAppId, 'wxamplink', {
        appid: input.miniProgramAppId,
        // WeChat wants the strings "1" and "0"; "", "true" or booleans are misread.
        notify_users: input.notifyUsers ? '1' : '0',
        show_profile: input.showProfile ? '1' : '0',
      });
      if (outcome.kind === 'ok') return { answer: 'sent', errcode: 0, errmsg: 'ok', ...(await joined(input)) };
      if (outcome.benign === BenignAnswer.InvitationPending)
        return { answer: outcome.benign, errcode: outcome.errcode, errmsg: outcome.errmsg, ...(await joined(input)) };
      if (outcome.benign === BenignAnswer.AlreadyLinked) return { answer: outcome.benign, errcode: outcome.errcode, errmsg: outcome.errmsg };
      throw ApplicationFailure.create({ type: WeChatFailureType.Refused, message: `wxamplink: unexpected answer ${outcome.errcode}`, nonRetryable: true });
    },

    /**
     * Reads `wxamplinkget` for an account. Calls for the same account that overlap in this worker
     * share one request (many links waiting on one account cost one call). A refusal is about the
     * whole account: only codes the errcode table marks definitive for the account are
     * `WeChatRefused`; an undocumented code, another refusal or an HTTP 4xx is a retryable
     * `WeChatUnconfirmedRefusal` (errcode, errmsg and HTTP status in its details).
     */
    fetchLinkSnapshot(input: FetchLinkSnapshotInput): Promise<LinkSnapshot> {
      return snapshotFlights.run(input.officialAccountAppId, async () => {
        // An empty body has been answered with 44002: WeChat wants a JSON object.
        const outcome = await callWeChat(deps, input.officialAccountAppId, 'wxamplinkget', {}, { cancellable: false, scope: CallScope.Account });
        if (outcome.kind !== 'ok') {
          throw ApplicationFailure.create({
            type: WeChatFailureType.Refused,
            message: `wxamplinkget: unexpected answer ${outcome.errcode}`,
            nonRetryable: true,
          });
        }
        return { items: linkedItems(outcome.answer).map(toSnapshotItem) };
      });
    },
  };
}

/** The link waits from here: join its account's watcher when the workflow asked (never throws). */
async function joined(input: SendLinkInvitationInput): Promise<Pick<SendLinkInvitationResult, 'joinedWatch'>> {
  if (input.joinWatch === undefined) return {};
  return { joinedWatch: await joinOrStartWatcher(input.officialAccountAppId, input.joinWatch) };
}

/**
 * Every item of a `wxamplinkget` answer, each field kept under WeChat's own name. The list is
 * required: an answer without `wxopens.items` (or with an item lacking a numeric status or a
 * username) is a garbled body, a transient fault retried like one. Reading it as "no entries"
 * would end a waiting link `expired` and an unlink `not_linked` on a broken answer.
 */
export function linkedItems(answer: WeChatAnswer): Array<Record<string, unknown> & { status: number; username: string }> {
  const wxopens = answer.wxopens;
  if (wxopens === undefined) throw malformed('no wxopens');
  if (typeof wxopens !== 'object' || wxopens === null || Array.isArray(wxopens)) throw malformed('wxopens is not an object');
  const items = (wxopens as { items?: unknown }).items;
  if (items === undefined) throw malformed('no wxopens.items');
  if (!Array.isArray(items)) throw malformed('wxopens.items is not a list');
  return items.map((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformed(`item ${index} is not an object`);
    const item = raw as Record<string, unknown>;
    const status = numericStatus(item.status);
    if (status === undefined) throw malformed(`item ${index} has no numeric status`);
    if (typeof item.username !== 'string' || item.username === '') throw malformed(`item ${index} has no username`);
    return { ...item, status, username: item.username };
  });
}

/** A status as a number: an integer, or a string of digits (some answers quote it); else undefined. */
function numericStatus(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The fields of an item that waiting needs (kept small: every poll lands in the history). */
function toSnapshotItem(item: Record<string, unknown> & { status: number; username: string }): SnapshotItem {
  return {
    username: item.username,
    status: item.status,
    ...(typeof item.appid === 'string' && item.appid !== '' && { appid: item.appid }),
    ...(typeof item.nickname === 'string' && { nickname: item.nickname }),
  };
}

function malformed(why: string): ApplicationFailure {
  return ApplicationFailure.create({ type: WeChatFailureType.Transient, message: `wxamplinkget: malformed answer: ${why}` });
}
