import { describe, expect, it } from '@jest/globals';
import { benignAnswer, classifyFailure } from '../../activities/errcodes';
import { WeChatApiError, type WeChatFailureKind } from '../../activities/wechat-api-error';
import { WeChatFailureType } from '../../workflows/contract';

const errcodeError = (errcode: number) =>
  new WeChatApiError(`errcode ${errcode}`, { kind: 'errcode', endpoint: 'wxamplink', redactedUrl: 'x', errcode, errmsg: 'm' });
const transportError = (kind: WeChatFailureKind, httpStatus?: number) =>
  new WeChatApiError(kind, { kind, endpoint: 'wxamplinkget', redactedUrl: 'x', ...(httpStatus !== undefined && { httpStatus }) });

describe('the errcode table, row by row (DESIGN "How WeChat\'s answers are handled")', () => {
  it.each([
    [-1, WeChatFailureType.Transient],
    [45011, WeChatFailureType.RateLimited],
    [45009, WeChatFailureType.QuotaExhausted],
    [40001, WeChatFailureType.TokenRejected],
    [40014, WeChatFailureType.TokenRejected],
    [42001, WeChatFailureType.TokenRejected],
    [89007, WeChatFailureType.Refused],
    [89008, WeChatFailureType.Refused],
    [89009, WeChatFailureType.Refused],
    [89011, WeChatFailureType.Refused],
    [89012, WeChatFailureType.Refused],
    [89013, WeChatFailureType.Refused],
    [89016, WeChatFailureType.Refused],
    [89017, WeChatFailureType.Refused],
    [61007, WeChatFailureType.Refused],
    [48001, WeChatFailureType.Refused],
    [40013, WeChatFailureType.Refused],
    [1005, WeChatFailureType.Refused],
    [89407, WeChatFailureType.Refused],
    [44002, WeChatFailureType.Refused],
  ])('errcode %i is %s', (errcode, type) => {
    expect(classifyFailure(errcodeError(errcode)).type).toBe(type);
  });

  it('says that an undocumented errcode is treated as definitive', () => {
    expect(classifyFailure(errcodeError(1005)).meaning).toMatch(/not documented/);
  });

  it.each([
    ['network', undefined, WeChatFailureType.Transient],
    ['timeout', undefined, WeChatFailureType.Transient],
    ['bad_body', 200, WeChatFailureType.Transient],
    ['http_status', 500, WeChatFailureType.Transient],
    ['http_status', 502, WeChatFailureType.Transient],
    ['http_status', 503, WeChatFailureType.Transient],
    ['http_status', 429, WeChatFailureType.RateLimited],
    ['http_status', 404, WeChatFailureType.Refused],
  ] as const)('a %s failure (HTTP %s) is %s', (kind, status, type) => {
    expect(classifyFailure(transportError(kind, status)).type).toBe(type);
  });

  it.each([
    ['wxamplink', 89010, 'invitation_pending'],
    ['wxamplink', 89035, 'invitation_pending'],
    ['wxamplink', 89015, 'already_linked'],
    ['wxampunlink', 89018, 'unlink_pending'],
  ] as const)('%s errcode %i is the answer %s, not a failure', (api, errcode, answer) => {
    expect(benignAnswer(api, errcode)).toBe(answer);
  });

  it('89010 means nothing special to unlink, nor 89018 to link', () => {
    expect(benignAnswer('wxampunlink', 89010)).toBeUndefined();
    expect(benignAnswer('wxamplink', 89018)).toBeUndefined();
  });
});
