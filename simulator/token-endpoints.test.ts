/**
 * The token endpoints as the simulator answers them, against a hand-driven clock: reuse until
 * the early-refresh window, force_refresh, grace periods of replaced tokens, tickets, rotation of
 * refresh tokens, and a call log that holds no secret.
 */
import { describe, expect, it } from '@jest/globals';
import { SimulatorState } from './simulator-state';
import { answerTokenCall } from './token-endpoints';
import { type TokenEndpoint } from './token-types';
import { answerWeChatCall } from './wechat-endpoints';

const OA = 'wx_oa_1';
const COMPONENT = 'wx_component_1';
const SECRET = 'secret-of-wx-oa-1-0123456789';

function setup() {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  const state = new SimulatorState({ now: () => nowMs, tokenPolicy: { lifetimeMs: 10_000, earlyRefreshMs: 2_000, graceMs: 1_000, ticketLifetimeMs: 60_000 } });
  state.registerAccount({ appId: OA, appSecret: SECRET });
  const token = async (endpoint: TokenEndpoint, path: string, body: unknown) => {
    const response = await answerTokenCall(state, endpoint, { method: 'POST', url: path, body: JSON.stringify(body) });
    return JSON.parse(response.body) as Record<string, unknown>;
  };
  const stable = (force = false, secret = SECRET) =>
    token('stable_token', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: OA, secret, force_refresh: force });
  const linkGet = async (accessToken: string) => {
    const response = await answerWeChatCall(state, { method: 'POST', url: `/cgi-bin/wxopen/wxamplinkget?access_token=${accessToken}`, body: '{}' });
    return (JSON.parse(response.body) as { errcode: number }).errcode;
  };
  return { state, token, stable, linkGet, tick: (ms: number) => (nowMs += ms) };
}

describe('stable_token', () => {
  it('hands out one token until the early-refresh window, then a new one; the old one works for the grace period', async () => {
    const { stable, linkGet, tick, state } = setup();
    const first = await stable();
    expect(first).toMatchObject({ expires_in: 10 });
    tick(5_000);
    expect(await stable()).toMatchObject({ access_token: first.access_token, expires_in: 5 });
    tick(3_500); // 1.5 s left: inside the early-refresh window
    const second = await stable();
    expect(second.access_token).not.toBe(first.access_token);
    expect(await linkGet(String(first.access_token))).toBe(0);
    tick(1_000); // the grace period is over
    expect(await linkGet(String(first.access_token))).toBe(40001);
    expect(await linkGet(String(second.access_token))).toBe(0);
    tick(10_000);
    expect(await linkGet(String(second.access_token))).toBe(42001);
    expect(state.countCalls({ endpoint: 'stable_token', accountAppId: OA })).toBe(3);
  });

  it('force_refresh always issues a new token', async () => {
    const { stable } = setup();
    const first = await stable();
    const forced = await stable(true);
    expect(forced.access_token).not.toBe(first.access_token);
  });

  it('answers 40125 for a wrong secret, 40013 for an unknown appid, 40002 for another grant_type', async () => {
    const { stable, token } = setup();
    expect(await stable(false, 'wrong-secret')).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect(await token('stable_token', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wx_nobody', secret: SECRET })).toMatchObject({
      errcode: 40013,
    });
    expect(await token('stable_token', '/cgi-bin/stable_token', { grant_type: 'password', appid: OA, secret: SECRET })).toMatchObject({ errcode: 40002 });
  });

  it('keeps secrets out of the call log', async () => {
    const { stable, state } = setup();
    const answer = await stable();
    const log = JSON.stringify(state.calls());
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(String(answer.access_token));
    expect(state.secretsIssued()).toEqual(expect.arrayContaining([SECRET, answer.access_token]));
  });
});

describe('third-party platform tokens', () => {
  function platform() {
    const s = setup();
    const { componentAppSecret } = s.state.registerComponent({ componentAppId: COMPONENT });
    const ticket = s.state.pushComponentTicket(COMPONENT);
    const { authorizerRefreshToken } = s.state.authorizeAccount({ componentAppId: COMPONENT, authorizerAppId: 'wx_oa_2' });
    const componentToken = (t = ticket) =>
      s.token('api_component_token', '/cgi-bin/component/api_component_token', {
        component_appid: COMPONENT,
        component_appsecret: componentAppSecret,
        component_verify_ticket: t,
      });
    const authorizerToken = (ct: unknown, refresh: unknown) =>
      s.token('api_authorizer_token', `/cgi-bin/component/api_authorizer_token?component_access_token=${String(ct)}`, {
        component_appid: COMPONENT,
        authorizer_appid: 'wx_oa_2',
        authorizer_refresh_token: refresh,
      });
    return { ...s, componentAppSecret, ticket, authorizerRefreshToken, componentToken, authorizerToken };
  }

  it('issues an authorizer token that the link endpoints accept for that account', async () => {
    const { componentToken, authorizerToken, authorizerRefreshToken, linkGet, state } = platform();
    const component = await componentToken();
    expect(component).toMatchObject({ expires_in: 10 });
    const authorizer = await authorizerToken(component.component_access_token, authorizerRefreshToken);
    expect(authorizer).toMatchObject({ expires_in: 10, authorizer_refresh_token: authorizerRefreshToken });
    expect(await linkGet(String(authorizer.authorizer_access_token))).toBe(0);
    expect(state.calls({ endpoint: 'wxamplinkget' })[0]?.accountAppId).toBe('wx_oa_2');
    expect(state.calls({ endpoint: 'api_authorizer_token' })[0]?.maskedUrl).toBe('/cgi-bin/component/api_authorizer_token?component_access_token=***');
  });

  it('refuses an unknown ticket (61006) and an expired one (61005)', async () => {
    const { componentToken, tick } = platform();
    expect(await componentToken('not-a-ticket')).toMatchObject({ errcode: 61006 });
    tick(60_000);
    expect(await componentToken()).toMatchObject({ errcode: 61005 });
  });

  it('rotates the refresh token when asked: the old one then fails with 61023', async () => {
    const { componentToken, authorizerToken, authorizerRefreshToken, state } = platform();
    state.setTokenPolicy({ rotateRefreshTokens: true });
    const component = await componentToken();
    const first = await authorizerToken(component.component_access_token, authorizerRefreshToken);
    expect(first.authorizer_refresh_token).not.toBe(authorizerRefreshToken);
    expect(await authorizerToken(component.component_access_token, authorizerRefreshToken)).toMatchObject({ errcode: 61023 });
    expect(await authorizerToken(component.component_access_token, first.authorizer_refresh_token)).toMatchObject({ errcode: 0 });
    expect(JSON.stringify(state.calls())).not.toContain(authorizerRefreshToken);
  });

  it('rejects a component token that is unknown (40001) or expired (42001)', async () => {
    const { componentToken, authorizerToken, authorizerRefreshToken, tick } = platform();
    expect(await authorizerToken('nope', authorizerRefreshToken)).toMatchObject({ errcode: 40001 });
    const component = await componentToken();
    tick(10_000);
    expect(await authorizerToken(component.component_access_token, authorizerRefreshToken)).toMatchObject({ errcode: 42001 });
  });
});
