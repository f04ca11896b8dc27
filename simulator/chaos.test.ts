// Chaos mode over real HTTP: seeded, filtered, each kind of failure as a client meets it, and
// the control route.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHAOS_CONTROL_PATH, ChaosKind, type ChaosStatus } from './chaos';
import { startWeChatSimulator, type WeChatSimulator } from './wechat-simulator';

let sim: WeChatSimulator;
let token: string;
const OA = 'wxchaosaccount00001';

beforeAll(async () => {
  sim = await startWeChatSimulator();
  token = sim.registerAccount({ appId: OA }).accessToken;
});
afterAll(async () => {
  await sim.close();
});

type Seen = { kind: 'answer'; status: number; body: string; ms: number } | { kind: 'error'; ms: number };

async function call(api: string, body: unknown, timeoutMs = 5_000): Promise<Seen> {
  const started = Date.now();
  try {
    const response = await fetch(`${sim.baseUrl}/cgi-bin/wxopen/${api}?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { kind: 'answer', status: response.status, body: await response.text(), ms: Date.now() - started };
  } catch {
    return { kind: 'error', ms: Date.now() - started };
  }
}

/** What a client makes of an answer. */
function classify(seen: Seen): string {
  if (seen.kind === 'error') return 'no answer';
  if (seen.status !== 200) return `HTTP ${seen.status}`;
  try {
    const { errcode } = JSON.parse(seen.body) as { errcode: number };
    return errcode === 0 ? 'ok' : `errcode ${errcode}`;
  } catch {
    return 'not JSON';
  }
}

const link = (mp: string) => ({ appid: mp, notify_users: '0', show_profile: '0' });

describe('chaos mode', () => {
  it('fails the configured share of calls, the same way for the same seed', async () => {
    const outcomes = async (): Promise<string[]> => {
      sim.setChaos({ seed: 42, rate: 0.5, kinds: [ChaosKind.SystemBusy, ChaosKind.BadGateway, ChaosKind.Garbage, ChaosKind.RateLimited] });
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        const answer = await call('wxamplinkget', {});
        seen.push(classify(answer));
      }
      return seen;
    };
    const first = await outcomes();
    const again = await outcomes();
    expect(again).toEqual(first);
    const status = sim.chaosStatus();
    expect(status.seen).toBe(40);
    expect(status.struck).toBeGreaterThan(10);
    expect(status.struck).toBeLessThan(30);
    expect(new Set(first)).toEqual(new Set(['ok', 'errcode -1', 'HTTP 502', 'not JSON', 'errcode 45011']));
    sim.setChaos(null);
  });

  it('a slow answer takes effect at once and comes late; a reset takes no effect and never answers', async () => {
    sim.setChaos({ seed: 1, rate: 1, kinds: [ChaosKind.Slow], endpoints: ['wxamplink'], slowMs: 600 });
    const slow = await call('wxamplink', link('wxchaosmp000000001'), 300);
    expect(slow.kind).toBe('error'); // the client gave up, as the worker's HTTP time-out does
    expect(sim.entries(OA).map((e) => e.appid)).toContain('wxchaosmp000000001');

    sim.setChaos({ seed: 1, rate: 1, kinds: [ChaosKind.Reset], endpoints: ['wxamplink'] });
    const reset = await call('wxamplink', link('wxchaosmp000000002'));
    expect(reset.kind).toBe('error');
    expect(reset.ms).toBeLessThan(1_000);
    expect(sim.entries(OA).map((e) => e.appid)).not.toContain('wxchaosmp000000002');
    expect(sim.calls({ miniProgramAppId: 'wxchaosmp000000002' })).toMatchObject([{ faulted: true, httpStatus: null }]);
    sim.setChaos(null);
  });

  it('spares other accounts and endpoints, stops after its limit, and delays the rest by latencyMs', async () => {
    sim.setChaos({ seed: 7, rate: 1, kinds: [ChaosKind.SystemBusy], endpoints: ['wxamplink'], accountAppIds: ['wxsomeoneelse'] });
    expect((await call('wxamplink', link('wxchaosmp000000003'))).kind).toBe('answer');
    expect(sim.chaosStatus().seen).toBe(0);

    sim.setChaos({ seed: 7, rate: 1, kinds: [ChaosKind.SystemBusy], endpoints: ['wxamplinkget'], limit: 1, latencyMs: 300 });
    const busy = await call('wxamplinkget', {});
    const late = await call('wxamplinkget', {});
    expect(busy).toMatchObject({ kind: 'answer', body: expect.stringContaining('"errcode":-1') });
    expect(late).toMatchObject({ kind: 'answer', body: expect.stringContaining('"errcode":0') });
    expect((late as { ms: number }).ms).toBeGreaterThanOrEqual(290);
    sim.setChaos(null);
  });

  it('is driven through the control route, which names a bad field', async () => {
    const post = (path: string, body: unknown) => fetch(`${sim.baseUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const on = await post(CHAOS_CONTROL_PATH, { seed: 3, rate: 0.3, kinds: ['reset', 'slow'], slowMs: 2000 });
    expect(on.status).toBe(200);
    expect(((await on.json()) as ChaosStatus).config).toMatchObject({ seed: 3, rate: 0.3, kinds: ['reset', 'slow'] });
    const bad = await post(CHAOS_CONTROL_PATH, { seed: 3, rate: 2 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'rate: must be a number from 0 to 1' });
    const unknownKind = await post(CHAOS_CONTROL_PATH, { seed: 3, rate: 0.1, kinds: ['meteor'] });
    expect(await unknownKind.json()).toEqual({ error: expect.stringMatching(/^kinds: "meteor" is not one of/) });
    await post(`${CHAOS_CONTROL_PATH}/off`, {});
    const status = (await (await fetch(`${sim.baseUrl}${CHAOS_CONTROL_PATH}`)).json()) as ChaosStatus;
    expect(status.config).toBeNull();
  });
});
