/**
 * WeChat's wire protocol as the simulator answers it, without a socket: the order of checks,
 * the error codes of bad input, fault bodies, and what the call log keeps.
 */
import { describe, expect, it } from '@jest/globals';
import { SimulatorState } from './simulator-state';
import { answerWeChatCall } from './wechat-endpoints';

const OA = 'wx_oa_1';
const MP = 'wx_mp_1';

function setup() {
  const state = new SimulatorState();
  const { accessToken } = state.registerAccount({ appId: OA });
  const call = async (path: string, body: unknown = {}, method = 'POST', token: string | null = accessToken) => {
    const query = token === null ? '' : `?access_token=${token}`;
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await answerWeChatCall(state, { method, url: `/cgi-bin/wxopen/${path}${query}`, body: raw });
    let json: unknown = null;
    try {
      json = JSON.parse(response.body);
    } catch {
      // not JSON: the test looks at response.body
    }
    return { ...response, json };
  };
  return { state, accessToken, call };
}

const linkBody = { appid: MP, notify_users: '1', show_profile: '0' };

describe('WeChat endpoints', () => {
  it('checks the token before anything else: 41001, then 40001', async () => {
    const { call } = setup();
    expect((await call('wxamplinkget', '', 'GET', null)).json).toEqual({ errcode: 41001, errmsg: 'access_token missing' });
    expect((await call('wxamplinkget', {}, 'POST', 'nope')).json).toMatchObject({ errcode: 40001 });
  });

  it('wants POST (43002) and a JSON body (44002, 47001)', async () => {
    const { call } = setup();
    expect((await call('wxamplinkget', '', 'GET')).json).toEqual({ errcode: 43002, errmsg: 'require POST method' });
    expect((await call('wxamplinkget', '')).json).toEqual({ errcode: 44002, errmsg: 'empty post data' });
    expect((await call('wxamplinkget', 'not json')).json).toEqual({ errcode: 47001, errmsg: 'data format error' });
    expect((await call('wxamplinkget', {})).json).toEqual({ errcode: 0, errmsg: 'ok', wxopens: { items: [] } });
  });

  it.each([
    [{ notify_users: '1', show_profile: '1' }, 41002, 'appid missing'],
    [{ appid: 7, notify_users: '1', show_profile: '1' }, 41002, 'appid missing'],
    [{ appid: MP, show_profile: '1' }, 47001, 'data format error hint: notify_users'],
    [{ appid: MP, notify_users: 'true', show_profile: '1' }, 47001, 'data format error hint: notify_users'],
    [{ appid: MP, notify_users: '1', show_profile: '' }, 47001, 'data format error hint: show_profile'],
    [{ appid: MP, notify_users: '1', show_profile: true }, 47001, 'data format error hint: show_profile'],
    [{ appid: MP, notify_users: 1, show_profile: '1' }, 47001, 'data format error hint: notify_users'],
  ])('wxamplink %j answers %i', async (body, errcode, errmsg) => {
    const { call, state } = setup();
    expect((await call('wxamplink', body)).json).toEqual({ errcode, errmsg });
    expect(state.entries(OA)).toEqual([]);
  });

  it('links, lists every seed-page field, and logs the call with its token masked', async () => {
    const { call, state, accessToken } = setup();
    expect((await call('wxamplink', linkBody)).json).toEqual({ errcode: 0, errmsg: 'ok' });
    const listed = (await call('wxamplinkget')).json as { wxopens: { items: Array<Record<string, unknown>> } };
    expect(Object.keys(listed.wxopens.items[0] ?? {}).sort()).toEqual(
      [
        'appid',
        'copy_verify_status',
        'email',
        'func_infos',
        'headimg_url',
        'nearby_display_status',
        'nickname',
        'released',
        'selected',
        'source',
        'status',
        'username',
      ].sort(),
    );
    expect(state.calls({ endpoint: 'wxamplink' })).toEqual([
      expect.objectContaining({ accountAppId: OA, miniProgramAppId: MP, body: linkBody, httpStatus: 200, errcode: 0, faulted: false }),
    ]);
    expect(JSON.stringify(state.calls())).not.toContain(accessToken);
  });

  it('answers an unknown path with HTTP 404', async () => {
    const { call, state } = setup();
    expect((await call('nothing')).httpStatus).toBe(404);
    expect(state.countCalls({ endpoint: 'other' })).toBe(1);
  });

  it('faulted calls leave state and scripts alone; a token error still beats a fault', async () => {
    const { call, state } = setup();
    state.injectFault({ endpoint: 'wxamplink', errcode: -1 });
    state.injectFault({ endpoint: 'wxamplinkget', httpStatus: 502 });
    state.injectFault({ endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"wxo' });
    expect((await call('wxamplinkget', {}, 'POST', 'bad')).json).toMatchObject({ errcode: 40001 });
    expect((await call('wxamplink', linkBody)).json).toEqual({ errcode: -1, errmsg: 'system error' });
    expect(state.entries(OA)).toEqual([]);
    const gateway = await call('wxamplinkget');
    expect([gateway.httpStatus, gateway.body]).toEqual([502, '<html>502 Bad Gateway</html>']);
    expect((await call('wxamplinkget')).body).toBe('{"errcode":0,"wxo');
    expect(state.calls().map((c) => [c.httpStatus, c.errcode, c.faulted])).toEqual([
      [200, 40001, false],
      [200, -1, true],
      [502, null, true],
      [200, null, true],
    ]);
  });

  it('a faulted wxamplinkget is not a poll', async () => {
    const { call, state } = setup();
    state.scriptLink(OA, MP, [{ afterPolls: 1, then: 2 }]);
    await call('wxamplink', linkBody);
    state.injectFault({ endpoint: 'wxamplinkget', times: 3 });
    const statusPolled = async () => ((await call('wxamplinkget')).json as { wxopens?: { items: Array<{ status: number }> } }).wxopens?.items[0]?.status;
    expect([await statusPolled(), await statusPolled(), await statusPolled()]).toEqual([undefined, undefined, undefined]);
    expect([await statusPolled(), await statusPolled()]).toEqual([12, 2]);
  });

  it('an oversize fault answers a valid success padded to the size asked for, with the list on wxamplinkget', async () => {
    const { call, state } = setup();
    state.injectFault({ endpoint: 'wxamplinkget', oversizeBytes: 2_000_000 });
    state.injectFault({ endpoint: 'wxamplink', oversizeBytes: 10 });
    const listed = await call('wxamplinkget');
    expect(Buffer.byteLength(listed.body)).toBe(2_000_000);
    expect(listed.json).toEqual({ errcode: 0, errmsg: 'ok', wxopens: { items: [] } });
    // Smaller than the answer itself: the answer is not cut.
    expect((await call('wxamplink', linkBody)).json).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(state.entries(OA)).toEqual([]);
    expect(state.calls().map((c) => [c.endpoint, c.faulted])).toEqual([
      ['wxamplinkget', true],
      ['wxamplink', true],
    ]);
  });

  it('refuses an oversize fault that is not a size, or that comes with a body of its own', () => {
    const state = new SimulatorState();
    expect(() => state.injectFault({ oversizeBytes: 0 })).toThrow(/^oversizeBytes: /);
    expect(() => state.injectFault({ oversizeBytes: 1.5 })).toThrow(/^oversizeBytes: /);
    expect(() => state.injectFault({ oversizeBytes: 10, rawBody: '{}' })).toThrow(/^oversizeBytes: /);
    expect(() => state.injectFault({ oversizeBytes: 10, errcode: -1 })).toThrow(/^oversizeBytes: /);
  });
});
