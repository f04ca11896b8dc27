/**
 * The token providers behind real link workflows, against the simulator's token endpoints: an
 * account's own secret (stable_token) and a third-party platform (component + authorizer tokens).
 * One fetch serves many activities; a rejected token is replaced once in the activity; bad
 * credentials back off with a clear lastError; rotated refresh tokens are persisted; and nothing
 * the simulator issued shows up in a history or a log line.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Duration } from '@temporalio/common';
import { ComponentTokenProvider, MemoryCredentialStore, MemoryTokenStore, RoutingTokenProvider, StableTokenProvider, TokenEndpointClient } from '../activities';
import { AUTO_CONFIRM_SCRIPT, type ScriptStep } from '../simulator';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';
import { historyText, taskQueueHistoryTexts } from './helpers/history-text';

const COMPONENT = `wxcomp${randomBytes(6).toString('hex')}`;
/** What the worker is configured with: official-account appid → secret (tests may put wrong ones). */
const secrets = new Map<string, string>();
const credentials = new MemoryCredentialStore();
let componentSecret = '';
let h: LinkHarness;

beforeAll(async () => {
  h = await startLinkHarness({
    tokenProvider: (simulator) => {
      const endpoint = new TokenEndpointClient({ baseUrl: simulator.baseUrl, timeoutMs: 2_000 });
      componentSecret = simulator.registerComponent({ componentAppId: COMPONENT }).componentAppSecret;
      credentials.setVerifyTicket(COMPONENT, simulator.pushComponentTicket(COMPONENT));
      // Failed refreshes are remembered for a second only, so that tests see the workflow retry.
      const store = () => new MemoryTokenStore({ failureTtlMs: 1_000 });
      const stable = new StableTokenProvider({ endpoint, secrets, store: store() });
      const component = new ComponentTokenProvider({
        endpoint,
        componentAppId: COMPONENT,
        componentAppSecret: componentSecret,
        credentials,
        componentTokenStore: store(),
        authorizerTokenStore: store(),
      });
      return new RoutingTokenProvider(
        [
          { provider: stable, covers: (a) => stable.covers(a) },
          { provider: component, covers: () => true },
        ],
        'not configured',
      );
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const newId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

/** An account with its own secret, known to the worker. */
function ownAccount(): string {
  const oa = newId('wxoa');
  const secret = randomBytes(16).toString('hex');
  h.simulator.registerAccount({ appId: oa, appSecret: secret });
  secrets.set(oa, secret);
  return oa;
}

/** An account that authorized the platform; its refresh token is in the credential store. */
function authorizedAccount(): string {
  const oa = newId('wxoa');
  const { authorizerRefreshToken } = h.simulator.authorizeAccount({ componentAppId: COMPONENT, authorizerAppId: oa });
  credentials.setRefreshToken(oa, authorizerRefreshToken);
  return oa;
}

async function link(oa: string, script: readonly ScriptStep[] = AUTO_CONFIRM_SCRIPT, timeout: Duration = FAST.timeout) {
  const mp = newId('wxmp');
  h.simulator.scriptLink(oa, mp, script);
  const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout });
  return { mp, handle };
}

describe('stable_token: an account with its own secret', () => {
  it('50 concurrent links of one account cause one token fetch', async () => {
    const oa = ownAccount();
    // A slow token endpoint, so that every send asks while the one fetch is in flight.
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'stable_token', delayMs: 1_500 });
    const handles = await Promise.all(Array.from({ length: 50 }, () => link(oa)));
    const results = await Promise.all(handles.map(({ handle }) => handle.result()));
    expect(results.map((r) => r.outcome)).toEqual(results.map(() => 'linked'));
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(50);
    expect(h.simulator.countCalls({ endpoint: 'stable_token', accountAppId: oa })).toBe(1);
  });

  it('a rejected token is replaced (force_refresh) and the call succeeds', async () => {
    const oa = ownAccount();
    const { handle } = await link(oa);
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
    const rejectedBefore = h.simulator.calls().filter((c) => c.errcode === 40001).length;
    h.simulator.revokeToken(oa); // e.g. someone refreshed the token elsewhere: the next poll gets 40001
    expect((await handle.result()).outcome).toBe('linked');
    const tokenCalls = h.simulator.calls({ endpoint: 'stable_token', accountAppId: oa });
    expect(tokenCalls.map((c) => (c.body as { force_refresh: boolean }).force_refresh)).toEqual([false, true]);
    expect(h.simulator.calls().filter((c) => c.errcode === 40001).length - rejectedBefore).toBe(1);
  });

  it('a fresh token rejected again fails as WeChatTokenRejected, backs off, and no loop follows', async () => {
    const oa = ownAccount();
    h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: 40001, times: 2 });
    const { handle } = await link(oa);
    expect((await handle.result()).outcome).toBe('linked');
    const sends = h.simulator.calls({ endpoint: 'wxamplink', accountAppId: oa });
    expect(sends.map((c) => c.errcode)).toEqual([40001, 40001, 0]);
    // The second rejection ended the activity; the workflow waited (400 ms here) before the third.
    expect(Date.parse(sends[2]?.at ?? '') - Date.parse(sends[1]?.at ?? '')).toBeGreaterThanOrEqual(300);
    expect(h.simulator.countCalls({ endpoint: 'stable_token', accountAppId: oa })).toBe(2);
    const failureTypes = (await historyText(h.client, handle.workflowId)).match(/"type":"WeChatTokenRejected"/g) ?? [];
    expect(failureTypes.length).toBeGreaterThanOrEqual(1);
  });

  it('a wrong secret (40125) fails clearly and is retried with back-off, never in a tight loop', async () => {
    const oa = ownAccount();
    secrets.set(oa, 'this-is-not-the-secret-0123456789');
    // Eight seconds: room for three failed attempts even on a loaded machine (with three seconds,
    // a loaded CI run once saw the link time out after two).
    const { handle, mp } = await link(oa, AUTO_CONFIRM_SCRIPT, '8s');
    await waitFor(async () => ((await h.links.getState(oa, mp)).lastError?.consecutiveFailures ?? 0) >= 3, 'three failed attempts');
    const { lastError } = await h.links.getState(oa, mp);
    expect(lastError).toMatchObject({ type: 'AccessTokenUnavailable', errcode: 40125 });
    expect(lastError?.message).toContain('invalid appsecret');
    expect(lastError?.message).toContain(`the secret of ${oa} in WECHAT_APP_SECRETS`);
    const result = await handle.result();
    expect(result.outcome).toBe('timed_out');
    expect(result.lastError).toMatchObject({ type: 'AccessTokenUnavailable', errcode: 40125 });
    const attempts = h.simulator.calls({ endpoint: 'stable_token', accountAppId: oa });
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.length).toBeLessThanOrEqual(9); // 8 s, failures remembered 1 s, retries ≥ 400 ms apart
    expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(0);
  });
});

describe('third-party platform: component and authorizer tokens', () => {
  it('rotated refresh tokens are written back at every refresh, and every refresh succeeds', async () => {
    h.simulator.setTokenPolicy({ lifetimeMs: 2_000, earlyRefreshMs: 1_000, graceMs: 1_000, rotateRefreshTokens: true });
    try {
      const oa = authorizedAccount();
      const original = await credentials.getRefreshToken(oa);
      // The admins act only once the 2-second tokens (renewed a second before they expire) have
      // been refreshed three times: waited for, not timed (admins acting after a fixed five
      // seconds still left a loaded CI run with two refreshes).
      const { handle, mp } = await link(oa, [], '1m');
      const refreshesOf = () => h.simulator.calls({ endpoint: 'api_authorizer_token', accountAppId: oa });
      await waitFor(() => refreshesOf().length >= 3, 'three refreshes of the authorizer token', 30_000);
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
      expect((await handle.result()).outcome).toBe('linked');
      const refreshes = refreshesOf();
      expect(refreshes.length).toBeGreaterThanOrEqual(3);
      expect(refreshes.every((c) => c.errcode === 0)).toBe(true);
      const persisted = await credentials.getRefreshToken(oa);
      expect(persisted).not.toBe(original);
      // The stored one is the live one: a new process reading the store can go on.
      expect(
        h.simulator
          .secretsIssued()
          .filter((s) => s.startsWith('refreshtoken@@@'))
          .at(-1),
      ).toBe(persisted);
      expect(h.simulator.calls({ endpoint: 'api_component_token' }).every((c) => c.errcode === 0)).toBe(true);
    } finally {
      h.simulator.setTokenPolicy({ lifetimeMs: 7_200_000, earlyRefreshMs: 300_000, graceMs: 300_000, rotateRefreshTokens: false });
    }
  });

  it('an invalid refresh token (61023) says the account must authorize again, and the link goes on once it has', async () => {
    const oa = authorizedAccount();
    const good = await credentials.getRefreshToken(oa);
    credentials.setRefreshToken(oa, 'refreshtoken@@@not-the-right-one-0123456789');
    const { handle, mp } = await link(oa);
    await waitFor(async () => (await h.links.getState(oa, mp)).lastError?.errcode === 61023, 'the 61023 failure');
    const { lastError } = await h.links.getState(oa, mp);
    expect(lastError?.type).toBe('AccessTokenUnavailable');
    expect(lastError?.message).toContain('the account must authorize the platform again');
    credentials.setRefreshToken(oa, good ?? ''); // the callback service stores the new authorization
    expect((await handle.result()).outcome).toBe('linked');
  });
});

describe('secrecy', () => {
  it('no token, secret, ticket or refresh token the simulator issued is in any history or log line', async () => {
    // One link through each provider (the other tests add rejections and failures when they ran).
    const own = await link(ownAccount());
    const platform = await link(authorizedAccount());
    await Promise.all([own.handle.result(), platform.handle.result()]);
    const issued = [...h.simulator.secretsIssued(), ...secrets.values(), componentSecret, 'refreshtoken@@@not-the-right-one-0123456789'];
    // At least this test's own: the account's secret and token, the platform's secret, its component and authorizer tokens.
    expect(issued.length).toBeGreaterThanOrEqual(5);
    expect(issued.every((s) => s.length >= 20)).toBe(true);
    // Every history of the task queue: this test's own, and those of any test that ran before it
    // (run alone, only its own: nothing here counts on the others having run).
    // The list comes from visibility, which may lag a moment behind the runs that just closed:
    // wait until it shows this test's own two, closed.
    const mine = [own, platform].map(({ handle }) => handle.workflowId);
    await waitFor(
      async () => {
        const closed = new Set<string>();
        for await (const execution of h.client.workflow.list({ query: `TaskQueue = '${h.taskQueue}' AND ExecutionStatus != 'Running'` }))
          closed.add(execution.workflowId);
        return mine.every((id) => closed.has(id));
      },
      "this test's links to be listed",
      20_000,
    );
    const histories = await taskQueueHistoryTexts(h.client, h.taskQueue);
    expect(histories.length).toBeGreaterThanOrEqual(mine.length);
    for (const text of histories) for (const secret of issued) expect(text).not.toContain(secret);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const line of h.logs) for (const secret of issued) expect(line).not.toContain(secret);
  });
});
