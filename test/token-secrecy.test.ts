/**
 * Access tokens never appear in workflow history, logs or error messages: run links that succeed,
 * fail, meet a rejected token and a dead server, then search everything they left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Duration } from '@temporalio/common';
import { WeChatClient } from '../activities';
import { isWeChatApiError } from '../activities/wechat-api-error';
import { findFreePort } from '../local/free-port';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { taskQueueHistoryTexts } from './helpers/history-text';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness({ httpTimeoutMs: 500 });
});
afterAll(async () => {
  await h.close();
});

describe('access tokens stay secret', () => {
  it('appear in no workflow history and no log line of a varied run', async () => {
    const secrets: string[] = [];
    const run = async (setup: (oa: string, mp: string) => void, timeout: Duration = '20s') => {
      const oa = h.newAccount();
      const mp = h.newMiniProgram();
      secrets.push(h.tokens.get(oa) ?? '');
      setup(oa, mp);
      return (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout })).result();
    };
    const outcomes = await Promise.all([
      run((oa, mp) => h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT)),
      run((oa) => h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: 89013, errmsg: 'banned' })),
      run((oa) => h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', httpStatus: 502, times: 2 }), '1s'),
      run((oa) => h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', delayMs: 1_000 }), '1s'),
      run((oa) => {
        // A rejected token that is not the current one: the rejected string must not leak either.
        const rejected = `REJECTED-${h.tokens.get(oa) ?? ''}`;
        secrets.push(rejected);
        h.tokens.set(oa, rejected);
      }, '1500ms'),
    ]);
    expect(outcomes.map((r) => r.outcome)).toEqual(['linked', 'refused', 'timed_out', 'timed_out', 'timed_out']);
    expect(secrets.every((s) => s.length >= 20)).toBe(true);

    const histories = await taskQueueHistoryTexts(h.client, h.taskQueue);
    for (const text of histories) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(histories.length).toBeGreaterThanOrEqual(5);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const line of h.logs) for (const secret of secrets) expect(line).not.toContain(secret);
  });

  it('appear in no error of the WeChat client, even when the connection fails', async () => {
    const token = 'ACCESS-TOKEN-THAT-MUST-NOT-LEAK-0123456789';
    const port = await findFreePort();
    const client = new WeChatClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000 });
    const error = await client.post('/cgi-bin/wxopen/wxamplinkget', token, {}).catch((e: unknown) => e);
    expect(isWeChatApiError(error)).toBe(true);
    if (!isWeChatApiError(error)) return;
    expect(error.kind).toBe('network');
    const everything = [error.message, error.stack, error.redactedUrl, String(error.cause), (error.cause as Error).stack].join('\n');
    expect(everything).not.toContain(token);
    expect(error.redactedUrl).toContain('access_token=[REDACTED]');
  });
});
