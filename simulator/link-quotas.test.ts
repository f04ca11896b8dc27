import { describe, expect, it } from '@jest/globals';
import { SimulatorState } from './simulator-state';

describe('link quotas and random admins', () => {
  it('a mini program refuses with 89007 once its monthly invitations are used, again next month; an account with 89017 at its total', () => {
    let nowMs = Date.parse('2026-03-30T10:00:00Z');
    const state = new SimulatorState({ now: () => nowMs });
    const accounts = ['wxoa1', 'wxoa2', 'wxoa3'].map((appId) => state.registerAccount({ appId }).appId);
    state.setLinkQuota({ miniProgramAppId: 'wxmp1', monthly: 2 });
    const invite = (oa: string, mp: string) => state.requestLink(oa, { appid: mp, notifyUsers: false, showProfile: false }).errcode;
    expect(accounts.map((oa) => invite(oa, 'wxmp1'))).toEqual([0, 0, 89007]);
    nowMs = Date.parse('2026-04-01T00:00:00Z');
    expect(invite('wxoa3', 'wxmp1')).toBe(0);

    // Account limits count the invitations sent from the moment they are set.
    state.setLinkQuota({ accountAppId: 'wxoa1', total: 1 });
    expect([invite('wxoa1', 'wxmp2'), invite('wxoa1', 'wxmp3')]).toEqual([0, 89017]);
    state.setLinkQuota({ accountAppId: 'wxoa2', monthly: 1 });
    expect([invite('wxoa2', 'wxmp2'), invite('wxoa2', 'wxmp3')]).toEqual([0, 89016]);
  });

  it('random admins confirm, refuse or let lapse at seeded random times', () => {
    let nowMs = 0;
    const state = new SimulatorState({ now: () => nowMs, randomAdmins: { minMs: 100, maxMs: 1_000, refuseShare: 0.5, seed: 7 } });
    const oas = Array.from({ length: 20 }, (_, i) => state.registerAccount({ appId: `wxoa${i}` }).appId);
    for (const oa of oas) state.requestLink(oa, { appid: 'wxmp', notifyUsers: false, showProfile: false });
    nowMs = 2_500;
    const statuses = oas.map((oa) => state.entries(oa)[0]?.status);
    expect(statuses.every((s) => s === 1 || s === 3)).toBe(true);
    expect(statuses).toContain(1);
    expect(statuses).toContain(3);
  });
});
