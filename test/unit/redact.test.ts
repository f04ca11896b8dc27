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
