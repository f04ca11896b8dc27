/**
 * The pure rules of webhooks: the signature (what receivers check), which `notifyUrl` values a
 * caller may give, the operator's host allow-list, and the `WXAMP_WEBHOOK_*` settings.
 */
import { describe, expect, it } from '@jest/globals';
import { signWebhook, verifyWebhookSignature } from '../../common/signing/webhook-signature';
import { hostAllowed } from '../../common/operator-policy';
import { checkNotifyUrl, notifyUrlHost } from '../../workflows/support/input-fields';
import { ConfigError } from '../../worker/config-error';
import { loadWorkerConfig } from '../../worker/config';

const SECRET = 'a-webhook-secret-of-32-characters';
const NOW_MS = Date.parse('2026-11-30T12:00:00Z');
const NOW_S = NOW_MS / 1_000;

describe('the webhook signature', () => {
  const body = '{"id":"e1","type":"link.finished"}';
  const signed = { body, timestamp: String(NOW_S), signature: signWebhook(SECRET, NOW_S, body) };

  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" (what docs/webhooks.md shows)', () => {
    expect(signed.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    // Computed independently: printf '%s' '1796040000.{"id":"e1","type":"link.finished"}' | openssl dgst -sha256 -hmac a-webhook-secret-of-32-characters
    expect(signWebhook(SECRET, 1_796_040_000, body)).toBe('v1=e19a38b6acfb0b201f402b597f49df6bfca75e970e105eab5464316cee7f1a79');
  });

  it('passes the check with the right secret within the tolerance', () => {
    expect(verifyWebhookSignature(signed, SECRET, { nowMs: NOW_MS + 299_000 })).toBe(true);
  });

  it.each([
    ['another secret', { ...signed }, 'another-secret-0123456789', NOW_MS],
    ['a changed body', { ...signed, body: body.replace('e1', 'e2') }, SECRET, NOW_MS],
    ['a changed timestamp', { ...signed, timestamp: String(NOW_S + 1) }, SECRET, NOW_MS],
    ['an old request (replayed 6 minutes later)', { ...signed }, SECRET, NOW_MS + 360_000],
    ['no signature header', { ...signed, signature: undefined }, SECRET, NOW_MS],
    ['no timestamp header', { ...signed, timestamp: undefined }, SECRET, NOW_MS],
    ['a timestamp that is not a number', { ...signed, timestamp: 'soon' }, SECRET, NOW_MS],
    ['a truncated signature', { ...signed, signature: signed.signature.slice(0, 20) }, SECRET, NOW_MS],
  ])('fails the check with %s', (_case, request, secret, nowMs) => {
    expect(verifyWebhookSignature(request, secret, { nowMs })).toBe(false);
  });
});

describe('notifyUrl', () => {
  it.each(['https://backend.example.com/wxamp-events', 'http://127.0.0.1:8080/hook?team=a', 'https://[::1]:9443/x'])('accepts %s', (url) => {
    expect(checkNotifyUrl(url)).toEqual({ ok: true, value: url });
  });

  it.each([
    ['ftp://backend.example.com/x', /http:\/\/ or https:\/\//],
    ['backend.example.com/x', /http:\/\/ or https:\/\//],
    ['https://ops:hunter2@backend.example.com/x', /user-info/],
    ['https://backend.example.com:99999/x', /port/],
    ['https://backend.example.com/a b', /http:\/\/ or https:\/\//],
    [`https://backend.example.com/${'x'.repeat(2_100)}`, /at most 2048/],
    [42, /string/],
  ])('refuses %s', (url, problem) => {
    const checked = checkNotifyUrl(url);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problem).toMatch(problem);
  });

  it('reads the host without port, lower-cased', () => {
    expect(notifyUrlHost('https://API.Example.com:8443/x')).toBe('api.example.com');
    expect(notifyUrlHost('http://[::1]:80/')).toBe('[::1]');
  });

  it('is allowed by exact hosts and *.suffix patterns; no list allows every host', () => {
    const list = ['api.example.com', '*.corp.example.com'];
    expect(hostAllowed('api.example.com', list)).toBe(true);
    expect(hostAllowed('hooks.corp.example.com', list)).toBe(true);
    expect(hostAllowed('corp.example.com', list)).toBe(false);
    expect(hostAllowed('evilcorp.example.com', list)).toBe(false);
    expect(hostAllowed('api.example.com.evil.net', list)).toBe(false);
    expect(hostAllowed('anything.net', null)).toBe(true);
  });
});

describe('WXAMP_WEBHOOK_* settings', () => {
  const base = { WECHAT_ACCESS_TOKEN: 'token-for-the-tests' };

  it('without a secret: no webhooks, and the policy says so', () => {
    const config = loadWorkerConfig(base);
    expect(config.webhook).toBeUndefined();
    expect(config.policy.webhook).toBeUndefined();
  });

  it('a secret, a URL and an allow-list: the policy knows there is a URL, never the URL or the secret', () => {
    const config = loadWorkerConfig({
      ...base,
      WXAMP_WEBHOOK_SECRET: SECRET,
      WXAMP_WEBHOOK_URL: 'https://ops.example.com/events?key=k1',
      WXAMP_WEBHOOK_ALLOWED_HOSTS: 'API.example.com, *.corp.example.com',
      WXAMP_WEBHOOK_RETRY_FOR: '2h',
    });
    expect(config.policy.webhook).toEqual({ operatorUrl: true, allowedHosts: ['api.example.com', '*.corp.example.com'], retryForMs: 7_200_000 });
    expect(JSON.stringify(config.policy)).not.toContain('ops.example.com');
    expect(JSON.stringify(config.policy)).not.toContain(SECRET);
    expect(config.webhook).toMatchObject({ operatorUrl: 'https://ops.example.com/events?key=k1', secret: SECRET });
  });

  it('retries for a day by default', () => {
    expect(loadWorkerConfig({ ...base, WXAMP_WEBHOOK_SECRET: SECRET }).policy.webhook?.retryForMs).toBe(24 * 3_600_000);
  });

  it.each([
    [{ WXAMP_WEBHOOK_URL: 'https://ops.example.com/events' }, 'WXAMP_WEBHOOK_SECRET: required with WXAMP_WEBHOOK_URL'],
    [{ WXAMP_WEBHOOK_SECRET: 'short' }, 'WXAMP_WEBHOOK_SECRET: must be at least 16 characters'],
    [{ WXAMP_WEBHOOK_SECRET: SECRET, WXAMP_WEBHOOK_URL: 'ftp://ops.example.com' }, 'WXAMP_WEBHOOK_URL: must be an http(s) URL'],
    [
      { WXAMP_WEBHOOK_SECRET: SECRET, WXAMP_WEBHOOK_ALLOWED_HOSTS: 'api.example.com, https://x' },
      'WXAMP_WEBHOOK_ALLOWED_HOSTS: must be a comma-separated list',
    ],
    [{ WXAMP_WEBHOOK_SECRET: SECRET, WXAMP_WEBHOOK_RETRY_FOR: 'forever' }, 'WXAMP_WEBHOOK_RETRY_FOR:'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadWorkerConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ ...base, ...env })).toThrow(message);
  });

  it('never quotes the secret in an error', () => {
    const secret = 'short-secret';
    const error = (() => {
      try {
        loadWorkerConfig({ ...base, WXAMP_WEBHOOK_SECRET: secret });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).not.toContain(secret);
  });
});
