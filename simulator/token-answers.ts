// What the three token endpoints answer, as WeChat answers them: errors as `{errcode, errmsg}`
// (HTTP 200), checks in WeChat's order, tokens with `expires_in` in whole seconds. Pure functions
// over the registries, a clock and the policy; the HTTP side is token-endpoints.ts.
import { type AccountRegistry } from './account-registry';
import { type ComponentRegistry } from './component-registry';
import { type WeChatAnswer } from './sim-types';
import { type TokenPolicy } from './token-types';
import { weChatError, weChatOk } from './wechat-errors';

/** What an answer needs: the registries, the time, the policy, and where issued secrets are noted. */
export interface TokenContext {
  accounts: AccountRegistry;
  components: ComponentRegistry;
  now: number;
  policy: TokenPolicy;
  /** Notes a token, ticket or refresh token the simulator hands out (for secrecy tests). */
  note(secret: string): void;
}

type Fields = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const seconds = (ms: number): number => Math.max(1, Math.floor(ms / 1000));

/** `POST /cgi-bin/stable_token` `{grant_type, appid, secret, force_refresh}`. */
export function answerStableToken(ctx: TokenContext, fields: Fields): WeChatAnswer {
  if (fields.grant_type !== 'client_credential') return weChatError(40002);
  const appid = text(fields.appid);
  if (appid === undefined) return weChatError(41002);
  const secret = text(fields.secret);
  if (secret === undefined) return weChatError(41004);
  if (fields.force_refresh !== undefined && typeof fields.force_refresh !== 'boolean') return weChatError(47001, 'data format error hint: force_refresh');
  if (!ctx.accounts.has(appid)) return weChatError(40013);
  if (!ctx.accounts.secretMatches(appid, secret)) return weChatError(40125);
  const current = ctx.accounts.current(appid);
  // Without force_refresh WeChat hands out the same token until five minutes before it expires.
  const reuse = fields.force_refresh !== true && current.expiresAt !== null && current.expiresAt - ctx.now > ctx.policy.earlyRefreshMs;
  const issued = reuse ? current : ctx.accounts.issue(appid, ctx.now, ctx.policy.lifetimeMs, ctx.policy.graceMs);
  ctx.note(issued.token);
  return { ...weChatOk(), access_token: issued.token, expires_in: seconds((issued.expiresAt ?? ctx.now) - ctx.now) };
}

/** `POST /cgi-bin/component/api_component_token` `{component_appid, component_appsecret, component_verify_ticket}`. */
export function answerComponentToken(ctx: TokenContext, fields: Fields): WeChatAnswer {
  const componentAppId = text(fields.component_appid);
  if (componentAppId === undefined) return weChatError(41002);
  const secret = text(fields.component_appsecret);
  if (secret === undefined) return weChatError(41004);
  if (!ctx.components.has(componentAppId)) return weChatError(40013);
  if (!ctx.components.secretMatches(componentAppId, secret)) return weChatError(40125);
  const ticket = text(fields.component_verify_ticket);
  if (ticket === undefined) return weChatError(61006);
  const ticketCheck = ctx.components.checkTicket(componentAppId, ticket, ctx.now, ctx.policy.ticketLifetimeMs);
  if (ticketCheck !== 0) return weChatError(ticketCheck);
  const issued = ctx.components.componentToken(componentAppId, ctx.now, ctx.policy);
  ctx.note(issued.token);
  return { ...weChatOk(), component_access_token: issued.token, expires_in: seconds(issued.expiresAt - ctx.now) };
}

/**
 * `POST /cgi-bin/component/api_authorizer_token?component_access_token=…` (or `?access_token=…`)
 * `{component_appid, authorizer_appid, authorizer_refresh_token}`: always a new authorizer token.
 */
export function answerAuthorizerToken(ctx: TokenContext, componentToken: string | null, fields: Fields): WeChatAnswer {
  if (!componentToken) return weChatError(41001);
  const tokenCheck = ctx.components.checkComponentToken(componentToken, ctx.now);
  if (!tokenCheck.ok) return weChatError(tokenCheck.errcode);
  const componentAppId = text(fields.component_appid);
  if (componentAppId === undefined) return weChatError(41002);
  if (componentAppId !== tokenCheck.componentAppId) return weChatError(40013);
  const authorizerAppId = text(fields.authorizer_appid);
  const refreshToken = text(fields.authorizer_refresh_token);
  if (authorizerAppId === undefined || refreshToken === undefined) return weChatError(47001);
  const authorization = ctx.components.authorization(componentAppId, authorizerAppId);
  if (authorization === undefined) return weChatError(61003);
  if (authorization.refreshToken !== refreshToken) return weChatError(61023);
  const issued = ctx.accounts.issue(authorizerAppId, ctx.now, ctx.policy.lifetimeMs, ctx.policy.graceMs);
  ctx.note(issued.token);
  const nextRefreshToken = ctx.policy.rotateRefreshTokens ? ctx.components.rotateRefreshToken(authorizerAppId) : refreshToken;
  ctx.note(nextRefreshToken);
  return {
    ...weChatOk(),
    authorizer_access_token: issued.token,
    expires_in: seconds((issued.expiresAt ?? ctx.now) - ctx.now),
    authorizer_refresh_token: nextRefreshToken,
  };
}
