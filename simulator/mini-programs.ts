// Mini programs, known lazily by appid, and how an entry of one is rendered as a wxamplinkget item.
// Defaults are derived from the appid (not random) so that a test can predict the gh_id.
import { createHash } from 'node:crypto';
import { type ItemOverrides, type MiniProgramOptions, type MiniProgramSnapshot, type WxOpenItem } from './sim-types';
import { SimulatorError, requireId } from './simulator-error';

/** `sha1(appid)` in hex: the seed of every derived default. */
function appidHash(appid: string): string {
  return createHash('sha1').update(appid).digest('hex');
}

/** The gh_id the simulator gives a mini program that was not configured: `'gh_'` + 12 hex of sha1(appid). */
export function defaultUsername(appid: string): string {
  return `gh_${appidHash(appid).slice(0, 12)}`;
}

/** The defaults of a mini program nobody configured. */
export function defaultMiniProgram(appid: string): MiniProgramSnapshot {
  const hash = appidHash(appid);
  return {
    appid,
    username: defaultUsername(appid),
    nickname: `Mini ${appid}`,
    headimgUrl: `http://wx.qlogo.cn/mmhead/Q3auHgzwzM${hash.slice(12, 40)}/0`,
    email: `mp-${hash.slice(0, 8)}@example.com`,
    linkErrcode: null,
    linkErrmsg: null,
    nearby: false,
    store: false,
  };
}

/** Mini programs by appid; one is "known" as soon as anything mentions it. */
export class MiniProgramRegistry {
  private readonly configured = new Map<string, MiniProgramSnapshot>();

  /** Merges `options` into the mini program's configuration and returns the result. */
  configure(appid: string, options: MiniProgramOptions): MiniProgramSnapshot {
    requireId('appid', appid);
    if (options.linkErrcode !== undefined && options.linkErrcode !== null && !Number.isInteger(options.linkErrcode)) {
      throw new SimulatorError('linkErrcode', 'must be an integer or null');
    }
    const current = this.get(appid);
    const next: MiniProgramSnapshot = { ...current };
    if (options.username !== undefined) next.username = options.username;
    if (options.nickname !== undefined) next.nickname = options.nickname;
    if (options.headimgUrl !== undefined) next.headimgUrl = options.headimgUrl;
    if (options.email !== undefined) next.email = options.email;
    if (options.linkErrcode !== undefined) next.linkErrcode = options.linkErrcode;
    if (options.linkErrmsg !== undefined) next.linkErrmsg = options.linkErrmsg;
    if (options.nearby !== undefined) next.nearby = options.nearby;
    if (options.store !== undefined) next.store = options.store;
    this.configured.set(appid, next);
    return { ...next };
  }

  /** The mini program's current configuration, defaults filled in. */
  get(appid: string): MiniProgramSnapshot {
    return { ...(this.configured.get(appid) ?? defaultMiniProgram(appid)) };
  }

  /** The mini programs that were configured explicitly. */
  list(): MiniProgramSnapshot[] {
    return [...this.configured.values()].map((mp) => ({ ...mp }));
  }

  /** Forgets every configuration. */
  clear(): void {
    this.configured.clear();
  }
}

/** What an entry contributes to its item: its status, the flags set at link time, and seeded overrides. */
export interface ItemSource {
  status: number;
  overrides: ItemOverrides;
}

/**
 * Renders an entry as WeChat shows it in `wxopens.items`: every field of the seed page, seeded
 * overrides first, the mini program's configuration next; `appid` only for newer-style accounts.
 */
export function renderItem(entry: ItemSource, mp: MiniProgramSnapshot, includeAppId: boolean): WxOpenItem {
  const o = entry.overrides;
  const item: WxOpenItem = {
    status: entry.status,
    username: o.username ?? mp.username,
    source: o.source ?? 'SOURCE_NORMAL',
    nickname: o.nickname ?? mp.nickname,
    selected: o.selected ?? 0,
    nearby_display_status: o.nearby_display_status ?? (mp.nearby ? 1 : 0),
    released: o.released ?? 1,
    headimg_url: o.headimg_url ?? mp.headimgUrl,
    func_infos: (
      o.func_infos ?? [
        { status: 0, id: 1, name: '微信认证' },
        { status: 0, id: 2, name: '微信支付' },
      ]
    ).map((f) => ({ ...f })),
    copy_verify_status: o.copy_verify_status ?? 1,
    email: o.email ?? mp.email,
  };
  // Newer WeChat answers carry appid; it goes next to username, the identifier older answers rely on.
  if (!includeAppId) return item;
  const { status, username, ...rest } = item;
  return { status, username, appid: mp.appid, ...rest };
}
