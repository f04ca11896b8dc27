// The vocabulary of the WeChat simulator: what WeChat shows (items), what tests configure
// (accounts, mini programs, entries, scripts, faults) and what the simulator records (calls).
// Types only, so every other simulator file, and tests elsewhere, can share them freely.
import { type TokenEndpoint } from './token-types';

/** The three WeChat endpoints the simulator speaks, by the last segment of their path. */
export const WeChatEndpoint = {
  /** `POST /cgi-bin/wxopen/wxamplinkget`: list the account's mini-program entries. */
  LinkGet: 'wxamplinkget',
  /** `POST /cgi-bin/wxopen/wxamplink`: send a link invitation. */
  Link: 'wxamplink',
  /** `POST /cgi-bin/wxopen/wxampunlink`: ask to unlink a linked mini program. */
  Unlink: 'wxampunlink',
} as const;
/** One of {@link WeChatEndpoint}'s values. */
export type WeChatEndpoint = (typeof WeChatEndpoint)[keyof typeof WeChatEndpoint];

/** What a recorded call was aimed at: a {@link WeChatEndpoint}, a {@link TokenEndpoint}, or `'other'` (an unknown path). */
export type CallEndpoint = WeChatEndpoint | TokenEndpoint | 'other';

/** The status values of a `wxamplinkget` item that the seed page documents (others, like 4, occur too). */
export const EntryStatus = {
  /** 已关联: linked. */
  Linked: 1,
  /** 等待小程序管理员确认中: waiting for the mini-program admin. */
  WaitingForMiniProgramAdmin: 2,
  /** 小程序管理员拒绝关联: the mini-program admin refused. */
  RefusedByMiniProgramAdmin: 3,
  /** 等到公众号管理员确认中: waiting for the official-account admin. */
  WaitingForAccountAdmin: 12,
} as const;
/** One of {@link EntryStatus}'s values. */
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

/** One element of an item's `func_infos`: 微信认证 (id 1) or 微信支付 (id 2), `status` 1 when enabled. */
export interface FuncInfo {
  status: number;
  id: number;
  name: string;
}

/** One item of `wxopens.items` exactly as `wxamplinkget` answers it (WeChat's own field names). */
export interface WxOpenItem {
  /** Link status, see {@link EntryStatus}. */
  status: number;
  /** The mini program's gh_id. */
  username: string;
  /** The mini program's appid; only present when the account has `includeAppId` (newer WeChat answers). */
  appid?: string;
  /** Always `'SOURCE_NORMAL'` unless seeded otherwise. */
  source: string;
  nickname: string;
  /** 1 when shown on the official account's profile page (`show_profile`). */
  selected: number;
  /** 1 when the mini program is shown among "nearby mini programs". */
  nearby_display_status: number;
  released: number;
  headimg_url: string;
  func_infos: FuncInfo[];
  copy_verify_status: number;
  email: string;
}

/** The fields of a {@link WxOpenItem} that a seeded entry may override (all but `status` and `appid`). */
export type ItemOverrides = Partial<Omit<WxOpenItem, 'status' | 'appid'>>;

/** Input of {@link SimulatorState.registerAccount}. */
export interface AccountOptions {
  /** The official account's appid. */
  appId: string;
  /** The token that identifies this account; a random WeChat-looking one when omitted. */
  accessToken?: string;
  /**
   * Whether `wxamplinkget` items carry `appid` (newer WeChat) or only `username` (older WeChat).
   * @default true
   */
  includeAppId?: boolean;
  /** The secret that `stable_token` wants with this appid; without one, `stable_token` answers 40125. */
  appSecret?: string;
}

/** An account's appid and its current access token, as {@link SimulatorState.registerAccount} returns them. */
export interface AccountCredentials {
  appId: string;
  accessToken: string;
  /** Present when the account has a secret. */
  appSecret?: string;
}

/** Input of {@link SimulatorState.configureMiniProgram}; omitted fields keep their value, `null` clears. */
export interface MiniProgramOptions {
  /** gh_id. @default `'gh_'` + 12 hex characters derived from the appid */
  username?: string;
  /** @default `'Mini ' + appid` */
  nickname?: string;
  /** @default a qlogo-like URL derived from the appid */
  headimgUrl?: string;
  /** @default an example.com address derived from the appid */
  email?: string;
  /** When set, every `wxamplink` for this mini program answers this errcode (89007, 89013, 61007, 1005, …). */
  linkErrcode?: number | null;
  /** The errmsg that goes with `linkErrcode`. @default WeChat's text for that code */
  linkErrmsg?: string | null;
  /** Shown among nearby mini programs: `wxampunlink` answers 89011. @default false */
  nearby?: boolean;
  /** A store (门店/小店) mini program: `wxampunlink` answers 89012. @default false */
  store?: boolean;
}

/** A mini program as the simulator currently knows it (configured values merged with defaults). */
export interface MiniProgramSnapshot {
  appid: string;
  username: string;
  nickname: string;
  headimgUrl: string;
  email: string;
  linkErrcode: number | null;
  linkErrmsg: string | null;
  nearby: boolean;
  store: boolean;
}

/** Input of {@link SimulatorState.seedEntry}: a status, any item fields, and whether an unlink is pending. */
export interface SeedEntryOptions extends ItemOverrides {
  /** The entry's status (1, 2, 3, 12, or any other number WeChat may show). */
  status: number;
  /** The entry already has a `wxampunlink` waiting for the account admin (then `wxampunlink` answers 89018). */
  unlinkPending?: boolean;
}

/**
 * One step of a link script: after the given number of polls and/or time since the previous step
 * fired, the entry takes status `then` (or disappears for `'vanish'`). With neither condition the
 * step fires at the next `wxamplinkget`.
 */
export interface ScriptStep {
  /** Fire after this many further `wxamplinkget` calls for the account. */
  afterPolls?: number;
  /** Fire after this many milliseconds of wall time. */
  afterMs?: number;
  /** The status the entry takes, or `'vanish'` to remove it. */
  then: number | 'vanish';
}
/** When a pending unlink is confirmed, counted from the successful `wxampunlink` (see {@link ScriptStep}). */
export interface UnlinkTiming {
  afterPolls?: number;
  afterMs?: number;
}

/** A manual admin action for {@link SimulatorState.act}. */
export type LinkAction =
  /** The official-account admin agrees: 12 → 2. */
  | 'confirm-account'
  /** The mini-program admin agrees: 2 → 1. */
  | 'confirm-mini-program'
  /** The mini-program admin refuses: pending → 3. */
  | 'refuse'
  /** The entry disappears (invitation expired or declined by the account admin). */
  | 'vanish'
  /** The account admin confirms a pending unlink: the entry disappears. */
  | 'confirm-unlink'
  /** Force any status. */
  | { setStatus: number };

/** Input of {@link SimulatorState.injectFault}: which calls it hits (filters) and what they get (effects). */
export interface FaultSpec {
  /** Only calls made with this account's token. */
  accountAppId?: string;
  /**
   * Only calls to this endpoint. A fault without one hits only the link endpoints: a token
   * endpoint is hit only when named (its account is the appid the token is asked for).
   */
  endpoint?: WeChatEndpoint | TokenEndpoint;
  /** Only calls whose body names this `appid` (so never `wxamplinkget`). */
  miniProgramAppId?: string;
  /** How many matching calls it hits. @default 1 */
  times?: number;
  /** Answer `{errcode, errmsg}` (HTTP 200 unless `httpStatus`) without touching state. */
  errcode?: number;
  /** The errmsg with `errcode`. @default WeChat's text for that code */
  errmsg?: string;
  /** Answer with this HTTP status (an HTML-ish body unless `errcode` or `rawBody` says otherwise). */
  httpStatus?: number;
  /** Answer exactly this body (garbage, truncated JSON, …), HTTP 200 unless `httpStatus`. */
  rawBody?: string;
  /**
   * Answer a well-formed success (`{"errcode":0,"errmsg":"ok"}`, with an empty `wxopens.items` on
   * `wxamplinkget`) padded with spaces to this many bytes: valid JSON that only a size limit
   * stops. At most 64 MiB.
   */
  oversizeBytes?: number;
  /** Wait this long before answering; alone, the call is then answered normally. */
  delayMs?: number;
  /**
   * The call takes effect as usual (an invitation is sent, an entry appears) before the fault's
   * answer replaces WeChat's: an answer lost on the way back. With `delayMs` alone, the call
   * takes effect and its answer comes late (past a client's time-out).
   */
  afterApplying?: boolean;
}

/** An injected fault as it stands: its spec, an id, and how many uses remain. */
export interface FaultSnapshot extends FaultSpec {
  id: number;
  remaining: number;
}

/** One request the simulator received on its WeChat side. Tokens never appear here. */
export interface CallRecord {
  /** 1, 2, 3, … in order of arrival. */
  seq: number;
  /** Arrival time, ISO-8601. */
  at: string;
  method: string;
  endpoint: CallEndpoint;
  /** The account the token belongs to, or null when the token was missing or unknown. */
  accountAppId: string | null;
  /** `appid` from the body, when there was one. */
  miniProgramAppId: string | null;
  /** The body, parsed when it was JSON, else the raw string (`''` when empty). */
  body: unknown;
  /** The answer's HTTP status; null while a delayed answer is still pending. */
  httpStatus: number | null;
  /** The answer's errcode, or null (no answer yet, or a body without one). */
  errcode: number | null;
  /** Path and query with `access_token=***`. */
  maskedUrl: string;
  /** An injected fault answered this call (or delayed it). */
  faulted: boolean;
}

/** Filter of {@link SimulatorState.calls}; omitted fields match anything. */
export interface CallFilter {
  endpoint?: CallEndpoint;
  accountAppId?: string;
  miniProgramAppId?: string;
}

/** Number of recorded calls per endpoint, plus the total. */
export type CallCounts = Record<CallEndpoint, number> & { total: number };

/** A script that is running on an entry. */
export interface RunningScriptSnapshot {
  kind: 'link' | 'unlink';
  /** The steps not fired yet, the first one being the one awaited. */
  remainingSteps: ScriptStep[];
  /** When the awaited step's clock started, ISO-8601. */
  clockStartedAt: string;
  /** Polls counted since then. */
  pollsSinceClock: number;
}

/** A script waiting for its entry (link) or for a successful `wxampunlink` (unlink). */
export interface ArmedScriptSnapshot {
  accountAppId: string;
  miniProgramAppId: string;
  kind: 'link' | 'unlink';
  steps: ScriptStep[];
}

/** One entry with the simulator's own bookkeeping around the item WeChat shows. */
export interface EntrySnapshot {
  accountAppId: string;
  miniProgramAppId: string;
  status: number;
  unlinkPending: boolean;
  /** `notify_users` of the `wxamplink` that created it, null for seeded entries. */
  notifyUsers: boolean | null;
  /** The item as `wxamplinkget` shows it now. */
  item: WxOpenItem;
  script: RunningScriptSnapshot | null;
}

/** An account without its token. */
export interface AccountSnapshot {
  appId: string;
  includeAppId: boolean;
}

/** Everything the simulator holds, tokens left out. */
export interface SimulatorSnapshot {
  accounts: AccountSnapshot[];
  miniPrograms: MiniProgramSnapshot[];
  entries: EntrySnapshot[];
  armedScripts: ArmedScriptSnapshot[];
  faults: FaultSnapshot[];
  counts: CallCounts;
}

/** A WeChat JSON answer: errcode 0 and errmsg "ok" on success, plus any payload. */
export interface WeChatAnswer {
  errcode: number;
  errmsg: string;
  [field: string]: unknown;
}
