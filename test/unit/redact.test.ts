import { describe, expect, it } from '@jest/globals';
import { redact, redactTokenParameters } from '../../activities/redact';

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
    expect(redactTokenParameters('?appid=wx1&secret=s3cr3t&authorizer_refresh_token=r1')).toBe('?appid=wx1&secret=[REDACTED]&authorizer_refresh_token=[REDACTED]');
  });

  it('masks secret fields of JSON bodies, escaped quotes included', () => {
    const body = JSON.stringify({ appid: 'wx1', secret: 'abc"def', component_verify_ticket: 'ticket@@@x', authorizer_refresh_token: 'r', access_token: 't' });
    const masked = redact(body);
    expect(JSON.parse(masked)).toEqual({
      appid: 'wx1', secret: '[REDACTED]', component_verify_ticket: '[REDACTED]', authorizer_refresh_token: '[REDACTED]', access_token: '[REDACTED]',
    });
  });

  it('masks the password of a URL', () => {
    expect(redact('connect redis://:hunter2hunter2@cache:6379/0 failed')).toBe('connect redis://:[REDACTED]@cache:6379/0 failed');
    expect(redact('redis://user:pw@host:6379')).toBe('redis://user:[REDACTED]@host:6379');
    expect(redact('https://api.weixin.qq.com:443/cgi-bin/stable_token')).toBe('https://api.weixin.qq.com:443/cgi-bin/stable_token');
  });
});
