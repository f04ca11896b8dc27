/** The credential settings: which variables make which provider, and errors that name the variable without quoting it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadWorkerConfig } from '../../worker/config';

const SECRET = 'app-secret-that-must-not-leak-0123';

function configError(env: Record<string, string>): string {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('credential configuration', () => {
  it('reads app secrets from a file and from the environment, the environment winning', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wxamp-secrets-')), 'secrets.json');
    writeFileSync(file, JSON.stringify({ wx1: 'from-file-1', wx2: 'from-file-2' }));
    const { credentials } = loadWorkerConfig({ WECHAT_APP_SECRETS_FILE: file, WECHAT_APP_SECRETS: '{"wx2": "from-env-2"}' });
    expect(credentials.appSecrets).toEqual(
      new Map([
        ['wx1', 'from-file-1'],
        ['wx2', 'from-env-2'],
      ]),
    );
    expect(credentials.appSecretsSource).toBe('WECHAT_APP_SECRETS_FILE / WECHAT_APP_SECRETS');
  });

  it('takes the platform secret from WECHAT_COMPONENT_APPSECRET or the secrets', () => {
    const env = { WECHAT_COMPONENT_APPID: 'wxcomp', WECHAT_TOKEN_REDIS_URL: 'redis://localhost:6379' };
    expect(loadWorkerConfig({ ...env, WECHAT_COMPONENT_APPSECRET: SECRET }).credentials.component).toEqual({
      appId: 'wxcomp',
      appSecret: SECRET,
      secretSource: 'WECHAT_COMPONENT_APPSECRET',
    });
    expect(loadWorkerConfig({ ...env, WECHAT_APP_SECRETS: JSON.stringify({ wxcomp: SECRET }) }).credentials.component?.appSecret).toBe(SECRET);
  });

  it.each([
    [{ WECHAT_APP_SECRETS: `{"wx1": "${SECRET}"` }, /^WECHAT_APP_SECRETS: is not valid JSON/],
    [{ WECHAT_APP_SECRETS: '{"wx1": 7}' }, /^WECHAT_APP_SECRETS: the secret for wx1 must be a non-empty string/],
    [{ WECHAT_APP_SECRETS_FILE: '/nonexistent/secrets.json' }, /^WECHAT_APP_SECRETS_FILE: cannot read \/nonexistent\/secrets.json \(ENOENT\)/],
    [{ WECHAT_COMPONENT_APPID: 'wxcomp', WECHAT_TOKEN_REDIS_URL: 'redis://x:1' }, /^WECHAT_COMPONENT_APPSECRET: required with WECHAT_COMPONENT_APPID/],
    [{ WECHAT_COMPONENT_APPID: 'wxcomp', WECHAT_COMPONENT_APPSECRET: SECRET }, /^WECHAT_COMPONENT_APPID: needs a credential store/],
    [{ WECHAT_APP_SECRETS: '{}', WECHAT_TOKEN_REDIS_URL: `http://:${SECRET}@cache` }, /^WECHAT_TOKEN_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{}, /^No access-token source: set WECHAT_ACCESS_TOKEN, WECHAT_ACCESS_TOKENS or WECHAT_TOKEN_URL, or credentials/],
  ])('refuses %j, naming the variable and quoting no secret', (env, message) => {
    const text = configError(env);
    expect(text).toMatch(message);
    expect(text).not.toContain(SECRET);
  });
});
