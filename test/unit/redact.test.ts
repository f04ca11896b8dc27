import { describe, expect, it } from '@jest/globals';
import { isSecretName, redact, redactTokenParameters, urlSecrets } from '../../activities/redact';

describe('redaction', () => {
  it('masks the access_token parameter wherever it stands', () => {
    expect(redactTokenParameters('POST https://api.weixin.qq.com/cgi-bin/wxopen/wxamplink?access_token=ABCDEF123456&x=1')).toBe(
      'POST https://api.weixin.qq.com/cgi-bin/wxopen/wxamplink?access_token=[REDACTED]&x=1',
    );
    expect(redactTokenParameters('a?x=1&component_access_token=zzz b')).toBe('a?x=1&component_access_token=[REDACTED] b');
  });

  it('masks a known secret quoted without its parameter name', () => {
    expect(redact('token SECRET-TOKEN-123 was refused', ['SECRET-TOKEN-123'])).toBe('token [REDACTED] was refused');
  });
});

describe('redaction inside prose', () => {
  it('stops at the bracket that closes a quoted URL', () => {
    expect(redactTokenParameters('failed (POST https://x/y?access_token=abc123)')).toBe('failed (POST https://x/y?access_token=[REDACTED])');
  });
});

describe('redaction of every kind of credential', () => {
  it('masks token, secret, ticket and refresh-token parameters', () => {
    expect(redactTokenParameters('/cgi-bin/component/api_authorizer_token?component_access_token=abc&x=1')).toBe(
      '/cgi-bin/component/api_authorizer_token?component_access_token=[REDACTED]&x=1',
    );
    expect(redactTokenParameters('?appid=wx1&secret=s3cr3t&authorizer_refresh_token=r1')).toBe(
      '?appid=wx1&secret=[REDACTED]&authorizer_refresh_token=[REDACTED]',
    );
  });

  it('masks secret fields of JSON bodies, escaped quotes included', () => {
    const body = JSON.stringify({ appid: 'wx1', secret: 'abc"def', component_verify_ticket: 'ticket@@@x', authorizer_refresh_token: 'r', access_token: 't' });
    const masked = redact(body);
    expect(JSON.parse(masked)).toEqual({
      appid: 'wx1',
      secret: '[REDACTED]',
      component_verify_ticket: '[REDACTED]',
      authorizer_refresh_token: '[REDACTED]',
      access_token: '[REDACTED]',
    });
  });

  it('masks the password of a URL', () => {
    expect(redact('connect redis://:hunter2hunter2@cache:6379/0 failed')).toBe('connect redis://:[REDACTED]@cache:6379/0 failed');
    expect(redact('redis://user:pw@host:6379')).toBe('redis://user:[REDACTED]@host:6379');
    expect(redact('https://api.weixin.qq.com:443/cgi-bin/stable_token')).toBe('https://api.weixin.qq.com:443/cgi-bin/stable_token');
  });

  it('masks a lone user name in a URL: there it is a credential', () => {
    expect(redact('GET https://ghp_0123456789abcdef@tokens.example.com/token?appid=wx1')).toBe('GET https://[REDACTED]@tokens.example.com/token?appid=wx1');
  });
});

describe('redaction of credentials in configured URLs', () => {
  it.each([
    ['apikey', 'S3cr3tKey'],
    ['api_key', 'S3cr3tKey'],
    ['apiKey', 'S3cr3tKey'],
    ['API-KEY', 'S3cr3tKey'],
    ['key', 'S3cr3tKey'],
    ['token', 'S3cr3tKey'],
    ['sign', 'abcdef'],
    ['signature', 'abcdef'],
    ['sig', 'abcdef'],
    ['password', 'hunter2'],
    ['pwd', 'hunter2'],
    ['client_secret', 'cs'],
    ['session_key', 'sk'],
  ])('masks the %s query parameter', (name, value) => {
    expect(redactTokenParameters(`GET http://127.0.0.1:8080/token?appid=wx1&${name}=${value}&force_refresh=1`)).toBe(
      `GET http://127.0.0.1:8080/token?appid=wx1&${name}=[REDACTED]&force_refresh=1`,
    );
  });

  it('leaves identifiers readable', () => {
    const url = 'http://127.0.0.1:8080/token?appid=wx1&id=7&user=ops&force_refresh=1&tenant=acme';
    expect(redact(url)).toBe(url);
    for (const name of ['appid', 'id', 'user', 'tenant', 'keyword', 'monkey', 'tokens_total']) expect(isSecretName(name)).toBe(false);
  });

  it('finds the credentials of a URL, as written and decoded, to mask wherever they are quoted', () => {
    expect(urlSecrets('http://127.0.0.1:1/token?apikey=S3cr3t%2BKey&appid=wx1')).toEqual(['S3cr3t%2BKey', 'S3cr3t+Key']);
    expect(urlSecrets('https://ops:pa%40ss-0123456789@host/token')).toEqual(['pa%40ss-0123456789', 'pa@ss-0123456789']);
    expect(urlSecrets('https://ghp_0123456789abcdef@host/')).toEqual(['ghp_0123456789abcdef']);
    expect(urlSecrets('https://api.weixin.qq.com')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
    expect(urlSecrets(undefined)).toEqual([]);
  });

  it('masks a URL credential quoted without its name (a library error), before the patterns run', () => {
    const secrets = urlSecrets('http://127.0.0.1:1/token?apikey=S3cr3tKey0123456789');
    expect(redact('connect ECONNREFUSED; key S3cr3tKey0123456789 not accepted', secrets)).toBe('connect ECONNREFUSED; key [REDACTED] not accepted');
  });

  it('masks secret-named JSON fields of any listed name', () => {
    expect(JSON.parse(redact(JSON.stringify({ apiKey: 'k1', token: 't1', appid: 'wx1' })))).toEqual({
      apiKey: '[REDACTED]',
      token: '[REDACTED]',
      appid: 'wx1',
    });
  });
});
