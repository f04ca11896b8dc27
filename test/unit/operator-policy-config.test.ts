import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { clampToFloor, DEFAULT_OPERATOR_POLICY } from '../../workflows/support/operator-policy';

const TOKEN = { WECHAT_ACCESS_TOKEN: 'a-token-for-every-account-0123456789' };

describe("the operator's policy from the environment", () => {
  it('defaults to a 5 s floor and 3 refusals over 10 minutes', () => {
    expect(loadWorkerConfig(TOKEN).policy).toEqual(DEFAULT_OPERATOR_POLICY);
    expect(DEFAULT_OPERATOR_POLICY).toEqual({ minPollIntervalMs: 5_000, accountRefusal: { answers: 3, spanMs: 600_000 } });
  });

  it('reads WXAMP_MIN_POLL_INTERVAL, WXAMP_ACCOUNT_REFUSAL_ANSWERS and WXAMP_ACCOUNT_REFUSAL_SPAN', () => {
    const { policy } = loadWorkerConfig({ ...TOKEN, WXAMP_MIN_POLL_INTERVAL: '30s', WXAMP_ACCOUNT_REFUSAL_ANSWERS: '5', WXAMP_ACCOUNT_REFUSAL_SPAN: '1h' });
    expect(policy).toEqual({ minPollIntervalMs: 30_000, accountRefusal: { answers: 5, spanMs: 3_600_000 } });
  });

  it.each([
    [{ WXAMP_MIN_POLL_INTERVAL: 'often' }, /^WXAMP_MIN_POLL_INTERVAL: /],
    [{ WXAMP_ACCOUNT_REFUSAL_ANSWERS: '0' }, /^WXAMP_ACCOUNT_REFUSAL_ANSWERS: must be a whole number from 1 to 100/],
    [{ WXAMP_ACCOUNT_REFUSAL_ANSWERS: '2.5' }, /^WXAMP_ACCOUNT_REFUSAL_ANSWERS: must be a whole number/],
    [{ WXAMP_ACCOUNT_REFUSAL_SPAN: '-1m' }, /^WXAMP_ACCOUNT_REFUSAL_SPAN: /],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadWorkerConfig({ ...TOKEN, ...env })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ ...TOKEN, ...env })).toThrow(message);
  });
});

describe('clamping to the floor', () => {
  const policy = { ...DEFAULT_OPERATOR_POLICY, minPollIntervalMs: 5_000 };

  it('raises intervals below the floor and says so', () => {
    expect(clampToFloor({ pollIntervalMs: 50, maxPollIntervalMs: 2_000 }, policy)).toEqual({ pollIntervalMs: 5_000, maxPollIntervalMs: 5_000, clamped: true });
    expect(clampToFloor({ pollIntervalMs: 50, maxPollIntervalMs: 60_000 }, policy)).toEqual({
      pollIntervalMs: 5_000,
      maxPollIntervalMs: 60_000,
      clamped: true,
    });
  });

  it('leaves intervals at or above the floor alone', () => {
    expect(clampToFloor({ pollIntervalMs: 15_000, maxPollIntervalMs: 300_000 }, policy)).toEqual({
      pollIntervalMs: 15_000,
      maxPollIntervalMs: 300_000,
      clamped: false,
    });
  });

  it('leaves a run from before the policy existed (no policy) as its starter asked', () => {
    expect(clampToFloor({ pollIntervalMs: 50, maxPollIntervalMs: 100 }, null)).toEqual({ pollIntervalMs: 50, maxPollIntervalMs: 100, clamped: false });
  });
});
