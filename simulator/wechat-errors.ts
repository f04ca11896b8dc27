// WeChat's error codes and messages as the simulator answers them: one table, so that every
// answer for a code carries the same text, and the seed page's Chinese texts are used verbatim.
import { type WeChatAnswer } from './sim-types';

/**
 * errmsg per errcode. The 89xxx texts are the seed page's own; the others are WeChat's usual
 * English messages. 89014 and 89018 are not on the seed page: 89018 is what WeChat answers to a
 * repeated unlink, 89014 ("mini program is not linked") is the simulator's own choice for an
 * unlink of an entry that is absent or not linked, since WeChat documents no code for it.
 */
export const WECHAT_ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  0: 'ok',
  1005: 'unknown error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40013: 'invalid appid',
  40002: 'invalid grant_type',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  42001: 'access_token expired',
  43002: 'require POST method',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  48001: 'api unauthorized',
  40125: 'invalid appsecret',
  61003: 'component is not authorized by this account',
  61005: 'component ticket is expired',
  61006: 'component ticket is invalid',
  61007: 'api is unauthorized to component',
  61023: 'refresh_token is invalid',
  89007: '小程序本月被关联的名额已用完',
  89008: '小程序为海外帐号，不允许关联',
  89009: '小程序关联达到上限',
  89010: '已经发送关联邀请',
  89011: '在附近中展示的小程序不能取消关联',
  89012: '门店、小店小程序不能取消关联',
  89013: '小程序被封禁',
  89014: 'mini program is not linked',
  89015: '已经关联该小程序',
  89016: '公众号本月关联相同主体达到上限',
  89017: '公众号本月关联不同主体达到上限',
  89018: 'unlink message has been sent',
  89035: '已经从公众平台后台发起关联申请，处于小程序管理员确认中，无法从第三方重复发起关联申请',
};

/** WeChat's errmsg for `errcode`, or a generic one for codes the table does not know (89407, …). */
export function errmsgFor(errcode: number): string {
  return WECHAT_ERRMSG[errcode] ?? `simulated error ${errcode}`;
}

/** A WeChat error answer `{errcode, errmsg}`; `errmsg` defaults to {@link errmsgFor}. */
export function weChatError(errcode: number, errmsg?: string): WeChatAnswer {
  return { errcode, errmsg: errmsg ?? errmsgFor(errcode) };
}

/** WeChat's plain success answer `{errcode: 0, errmsg: "ok"}`. */
export function weChatOk(): WeChatAnswer {
  return { errcode: 0, errmsg: 'ok' };
}
