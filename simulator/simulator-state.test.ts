/**
 * The simulator's model on its own, against a hand-driven clock: what WeChat would answer and
 * show at each step of a link, an unlink, a script and a fault.
 */
import { describe, expect, it } from '@jest/globals';
import { maskAccessToken } from './call-log';
import { FaultQueue } from './fault-queue';
import { defaultUsername } from './mini-programs';
import { type ScriptStep } from './sim-types';
import { SimulatorError } from './simulator-error';
import { SimulatorState } from './simulator-state';

const OA = 'wx_oa_1';
const MP = 'wx_mp_1';

function setup(options: { defaultScript?: ScriptStep[] } = {}) {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  const state = new SimulatorState({ now: () => nowMs, ...options });
  const { accessToken } = state.registerAccount({ appId: OA });
  const statusOf = (mp = MP) => state.entries(OA).find((i) => i.appid === mp)?.status;
  /** One wxamplinkget: the statuses it answers. */
  const poll = (mp = MP) => state.pollLinks(OA).find((i) => i.appid === mp)?.status;
  const link = (mp = MP, showProfile = false) => state.requestLink(OA, { appid: mp, notifyUsers: false, showProfile }).errcode;
  return { state, accessToken, statusOf, poll, link, tick: (ms: number) => (nowMs += ms) };
}

describe('accounts and tokens', () => {
  it('generates a WeChat-looking token and maps it to the account', () => {
    const { state, accessToken } = setup();
    expect(accessToken).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(state.accountForToken(accessToken)).toBe(OA);
  });

  it('registering twice returns the existing account and updates includeAppId', () => {
    const { state, accessToken } = setup();
    expect(state.registerAccount({ appId: OA, includeAppId: false })).toEqual({ appId: OA, accessToken });
    state.seedEntry(OA, MP, { status: 1 });
    expect(state.entries(OA)[0]).not.toHaveProperty('appid');
    expect(state.entries(OA)[0]?.username).toBe(defaultUsername(MP));
  });

  it('revokeToken invalidates the old token and issues a new one', () => {
    const { state, accessToken } = setup();
    const fresh = state.revokeToken(OA);
    expect(fresh.accessToken).not.toBe(accessToken);
    expect(state.accountForToken(accessToken)).toBeUndefined();
    expect(state.accountForToken(fresh.accessToken)).toBe(OA);
  });

  it('a token cannot belong to two accounts, and the error does not show it', () => {
    const { state } = setup();
    state.registerAccount({ appId: 'wx_oa_2', accessToken: 'secret-token-2' });
    expect(() => state.setAccessToken(OA, 'secret-token-2')).toThrow('accessToken: already belongs to account wx_oa_2');
  });

  it('never shows a token in the snapshot', () => {
    const { state, accessToken } = setup();
    expect(JSON.stringify(state.snapshot())).not.toContain(accessToken);
  });
});

describe('wxamplink and manual admin actions', () => {
  it('goes 12 → 2 → 1, with 89010 while pending and 89015 once linked', () => {
    const { state, link, statusOf } = setup();
    expect(link(MP, true)).toBe(0);
    expect(state.entries(OA)[0]).toMatchObject({ status: 12, appid: MP, selected: 1, source: 'SOURCE_NORMAL' });
    expect(link()).toBe(89010);
    expect(state.act(OA, MP, 'confirm-account')?.status).toBe(2);
    expect(state.act(OA, MP, 'confirm-mini-program')?.status).toBe(1);
    expect(statusOf()).toBe(1);
    expect(link()).toBe(89015);
  });

  it('a refused entry (3) is replaced by a new invitation', () => {
    const { state, link, statusOf } = setup();
    state.seedEntry(OA, MP, { status: 3 });
    expect(link()).toBe(0);
    expect(statusOf()).toBe(12);
  });

  it('an action that does not apply is a SimulatorError naming the field', () => {
    const { state, link } = setup();
    expect(() => state.act(OA, MP, 'vanish')).toThrow(new SimulatorError('miniProgramAppId', `account ${OA} has no entry for ${MP}`));
    link();
    expect(() => state.act(OA, MP, 'confirm-mini-program')).toThrow(/^action: "confirm-mini-program" needs status 2/);
    expect(() => state.act(OA, MP, 'confirm-unlink')).toThrow(/needs an unlink pending/);
    expect(state.act(OA, MP, { setStatus: 4 })?.status).toBe(4);
    expect(state.act(OA, MP, 'vanish')).toBeNull();
    expect(state.entries(OA)).toEqual([]);
  });

  it('a configured linkErrcode refuses with its message, or WeChat text by default', () => {
    const { state, link } = setup();
    state.configureMiniProgram(MP, { linkErrcode: 89013 });
    expect(state.requestLink(OA, { appid: MP, notifyUsers: false, showProfile: false })).toEqual({ errcode: 89013, errmsg: '小程序被封禁' });
    state.configureMiniProgram(MP, { linkErrcode: 1005, linkErrmsg: 'odd' });
    expect(state.requestLink(OA, { appid: MP, notifyUsers: false, showProfile: false })).toEqual({ errcode: 1005, errmsg: 'odd' });
    state.configureMiniProgram(MP, { linkErrcode: null });
    expect(link()).toBe(0);
  });
});

describe('scripts', () => {
  it('afterPolls: 1 shows the new status on the poll after the one that saw the old', () => {
    const { state, link, poll } = setup();
    expect(
      state.scriptLink(OA, MP, [
        { afterPolls: 1, then: 2 },
        { afterPolls: 1, then: 1 },
      ]),
    ).toBe('armed');
    link();
    expect([poll(), poll(), poll(), poll()]).toEqual([12, 2, 1, 1]);
  });

  it('a step without conditions fires at the next poll, one step per poll', () => {
    const { state, link, poll, statusOf } = setup();
    state.scriptLink(OA, MP, [{ then: 2 }, { then: 1 }]);
    link();
    expect(statusOf()).toBe(12); // reading state is not a poll
    expect([poll(), poll()]).toEqual([2, 1]);
  });

  it('afterMs steps fire on reads too, keeping their rhythm however rarely anyone looks', () => {
    const { state, link, statusOf, tick } = setup();
    state.scriptLink(OA, MP, [
      { afterMs: 1000, then: 2 },
      { afterMs: 1000, then: 1 },
    ]);
    link();
    tick(999);
    expect(statusOf()).toBe(12);
    tick(1001); // 2000 ms since the link: both steps are due
    expect(statusOf()).toBe(1);
  });

  it('both conditions must hold', () => {
    const { state, link, poll, tick } = setup();
    state.scriptLink(OA, MP, [{ afterPolls: 1, afterMs: 500, then: 'vanish' }]);
    link();
    expect(poll()).toBe(12);
    expect(poll()).toBe(12); // one poll seen, but not 500 ms yet
    tick(500);
    expect(poll()).toBeUndefined();
  });

  it('a script on a live entry starts now; the default script covers unscripted links only', () => {
    const { state, link, poll } = setup({ defaultScript: [{ then: 'vanish' }] });
    state.seedEntry(OA, MP, { status: 2 });
    expect(state.scriptLink(OA, MP, [{ then: 1 }])).toBe('running');
    expect(poll()).toBe(1);
    link('wx_mp_2');
    expect(poll('wx_mp_2')).toBeUndefined();
  });

  it('rejects an invalid step with the path of the field', () => {
    const { state } = setup();
    expect(() => state.scriptLink(OA, MP, [{ then: 2 }, { afterPolls: -1, then: 1 }])).toThrow(/^steps\[1\]\.afterPolls: /);
  });
});

describe('wxampunlink', () => {
  const unlink = (state: SimulatorState, mp = MP) => state.requestUnlink(OA, mp).errcode;

  it('89014 unless linked, then pending until confirmed, with 89018 meanwhile', () => {
    const { state, statusOf } = setup();
    expect(unlink(state)).toBe(89014);
    state.seedEntry(OA, MP, { status: 2 });
    expect(unlink(state)).toBe(89014);
    state.seedEntry(OA, MP, { status: 1 });
    expect(unlink(state)).toBe(0);
    expect(statusOf()).toBe(1);
    expect(unlink(state)).toBe(89018);
    expect(state.act(OA, MP, 'confirm-unlink')).toBeNull();
    expect(statusOf()).toBeUndefined();
  });

  it('refuses nearby (89011) and store (89012) mini programs', () => {
    const { state } = setup();
    state.seedEntry(OA, MP, { status: 1, nearby_display_status: 1 });
    expect(unlink(state)).toBe(89011);
    state.seedEntry(OA, MP, { status: 1 });
    state.configureMiniProgram(MP, { store: true });
    expect(unlink(state)).toBe(89012);
  });

  it('an unlink script makes the entry vanish after the given polls', () => {
    const { state, poll } = setup();
    state.seedEntry(OA, MP, { status: 1 });
    expect(state.scriptUnlink(OA, MP, { afterPolls: 1 })).toBe('armed');
    expect(unlink(state)).toBe(0);
    expect([poll(), poll()]).toEqual([1, undefined]);
  });
});

describe('faults and the call log', () => {
  it('takes faults first in, first out, each for its number of uses and only where its filters match', () => {
    const queue = new FaultQueue();
    queue.add({ endpoint: 'wxamplink', errcode: 45011, times: 2 });
    queue.add({ accountAppId: OA });
    const target = { endpoint: 'wxamplinkget' as const, accountAppId: OA, miniProgramAppId: null };
    expect(queue.take(target)).toMatchObject({ errcode: -1, remaining: 0 }); // no effect given: -1
    expect(queue.take(target)).toBeNull();
    const send = { endpoint: 'wxamplink' as const, accountAppId: 'other', miniProgramAppId: MP };
    expect(queue.take(send)?.remaining).toBe(1);
    expect(queue.take(send)?.remaining).toBe(0);
    expect(queue.list()).toEqual([]);
  });

  it('rejects a fault whose body would be ambiguous', () => {
    expect(() => new FaultQueue().add({ errcode: 1, rawBody: 'x' })).toThrow(/^rawBody: /);
  });

  it('masks every access_token in a URL', () => {
    expect(maskAccessToken('/cgi-bin/wxopen/wxamplink?access_token=abc-DEF_1&x=1&access_token=zz')).toBe(
      '/cgi-bin/wxopen/wxamplink?access_token=***&x=1&access_token=***',
    );
  });

  it('records calls with masked URLs, filters and counts them, and reset forgets everything', () => {
    const { state, accessToken } = setup();
    const record = state.beginCall({
      method: 'POST',
      url: `/cgi-bin/wxopen/wxamplink?access_token=${accessToken}`,
      endpoint: 'wxamplink',
      accountAppId: OA,
      miniProgramAppId: MP,
      body: { appid: MP },
    });
    state.finishCall(record, { httpStatus: 200, errcode: 0, faulted: false });
    expect(state.calls({ endpoint: 'wxamplink' })).toEqual([
      expect.objectContaining({ seq: 1, maskedUrl: '/cgi-bin/wxopen/wxamplink?access_token=***', errcode: 0, httpStatus: 200 }),
    ]);
    expect(state.countCalls({ miniProgramAppId: 'nope' })).toBe(0);
    expect(JSON.stringify(state.calls())).not.toContain(accessToken);
    state.reset();
    expect(state.countCalls()).toBe(0);
    expect(state.snapshot().accounts).toEqual([]);
    expect(state.accountForToken(accessToken)).toBeUndefined();
  });
});
