/**
 * The naive baseline's activities: what a team writes on its first day. Each call is exactly one
 * HTTP request; nothing is shared between workflows (no coalescing of an account's polls), which
 * is the very cost the bench measures.
 */
import { type AccessTokenProvider, isWeChatApiError, type WeChatClient } from '../activities';

/** What the naive activities need. */
export interface NaiveActivityDeps {
  wechat: WeChatClient;
  tokens: AccessTokenProvider;
}

/** Input of `naiveSendInvitation`. */
export interface NaiveSendInput {
  officialAccountAppId: string;
  miniProgramAppId: string;
}

/** One `wxamplinkget` item, cut to what the naive workflow looks at. */
export interface NaiveItem {
  appid: string | null;
  status: number;
}

/** errcodes of `wxamplink` that still mean "go on waiting" (invitation pending, already linked). */
const BENIGN_SEND_ERRCODES: ReadonlySet<number> = new Set([89010, 89015, 89035]);

/** Builds the naive baseline's two activities. */
export function createNaiveActivities(deps: NaiveActivityDeps) {
  return {
    /** Sends `wxamplink` once; returns its errcode (0, or a benign one). */
    async naiveSendInvitation(input: NaiveSendInput): Promise<number> {
      const token = await deps.tokens.getToken(input.officialAccountAppId);
      try {
        await deps.wechat.post('/cgi-bin/wxopen/wxamplink', token, { appid: input.miniProgramAppId, notify_users: '0', show_profile: '0' });
        return 0;
      } catch (error) {
        if (isWeChatApiError(error) && error.errcode !== undefined && BENIGN_SEND_ERRCODES.has(error.errcode)) return error.errcode;
        throw error;
      }
    },

    /** One `wxamplinkget` for the account: one HTTP request, every time. */
    async naiveListLinks(officialAccountAppId: string): Promise<NaiveItem[]> {
      const token = await deps.tokens.getToken(officialAccountAppId);
      const answer = await deps.wechat.post('/cgi-bin/wxopen/wxamplinkget', token, {});
      const items = (answer.wxopens as { items?: Array<{ appid?: unknown; status?: unknown }> } | undefined)?.items ?? [];
      return items.map((item) => ({ appid: typeof item.appid === 'string' ? item.appid : null, status: Number(item.status) }));
    },
  };
}

/** The naive activities, as the naive workflow sees their types. */
export type NaiveActivities = ReturnType<typeof createNaiveActivities>;
