import { describe, expect, it } from '@jest/globals';
import { benignAnswer, CallScope, classifyFailure, ERRCODE_TABLE } from '../../activities/errcodes';
import { weChatFailure } from '../../activities/to-application-failure';
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
    [50001, WeChatFailureType.Refused],
    [50002, WeChatFailureType.Refused],
    [61003, WeChatFailureType.Refused],
    [61023, WeChatFailureType.Refused],
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

const accountError = (fields: { errcode?: number; httpStatus?: number }) =>
  new WeChatApiError('wxamplinkget failed', {
    kind: fields.errcode === undefined ? 'http_status' : 'errcode',
    endpoint: 'wxamplinkget',
    redactedUrl: 'https://api.weixin.qq.com/cgi-bin/wxopen/wxamplinkget?access_token=[REDACTED]',
    ...(fields.errcode !== undefined && { errcode: fields.errcode, errmsg: `message of ${fields.errcode}` }),
    ...(fields.httpStatus !== undefined && { httpStatus: fields.httpStatus }),
  });

describe('refusals of wxamplinkget, a call about the whole account, row by row', () => {
  it.each([
    [61007, WeChatFailureType.Refused],
    [48001, WeChatFailureType.Refused],
    [61023, WeChatFailureType.Refused],
    [40013, WeChatFailureType.Refused],
    [61003, WeChatFailureType.Refused],
    [50001, WeChatFailureType.Refused],
    [50002, WeChatFailureType.UnconfirmedRefusal],
    [89007, WeChatFailureType.UnconfirmedRefusal],
    [89008, WeChatFailureType.UnconfirmedRefusal],
    [89009, WeChatFailureType.UnconfirmedRefusal],
    [89011, WeChatFailureType.UnconfirmedRefusal],
    [89012, WeChatFailureType.UnconfirmedRefusal],
    [89013, WeChatFailureType.UnconfirmedRefusal],
    [89016, WeChatFailureType.UnconfirmedRefusal],
    [89017, WeChatFailureType.UnconfirmedRefusal],
    [1005, WeChatFailureType.UnconfirmedRefusal],
    [89407, WeChatFailureType.UnconfirmedRefusal],
    [44002, WeChatFailureType.UnconfirmedRefusal],
    [-1, WeChatFailureType.Transient],
    [45011, WeChatFailureType.RateLimited],
    [45009, WeChatFailureType.QuotaExhausted],
    [40001, WeChatFailureType.TokenRejected],
  ])('errcode %i is %s', (errcode, type) => {
    expect(classifyFailure(accountError({ errcode }), CallScope.Account).type).toBe(type);
  });

  it('every refused row says, with a reason, whether it is definitive for the account', () => {
    for (const [errcode, rule] of Object.entries(ERRCODE_TABLE)) {
      if (rule.type !== WeChatFailureType.Refused) {
        expect([errcode, rule.account]).toEqual([errcode, undefined]);
        continue;
      }
      expect([errcode, typeof rule.account?.definitive]).toEqual([errcode, 'boolean']);
      expect(rule.account?.why.length).toBeGreaterThan(20);
    }
  });

  it('the meaning says why: definitive for the account, or unconfirmed', () => {
    expect(classifyFailure(accountError({ errcode: 61023 }), CallScope.Account).meaning).toMatch(/definitive for the account: the authorization was revoked/);
    expect(classifyFailure(accountError({ errcode: 89013 }), CallScope.Account).meaning).toMatch(/wxamplinkget names none/);
    expect(classifyFailure(accountError({ errcode: 1005 }), CallScope.Account).meaning).toMatch(
      /errcode 1005 is not documented: one answer about the whole account does not settle it/,
    );
  });

  it.each([
    [400, WeChatFailureType.UnconfirmedRefusal],
    [403, WeChatFailureType.UnconfirmedRefusal],
    [404, WeChatFailureType.UnconfirmedRefusal],
    [408, WeChatFailureType.Transient],
    [429, WeChatFailureType.RateLimited],
    [502, WeChatFailureType.Transient],
  ])('HTTP %i is %s', (httpStatus, type) => {
    expect(classifyFailure(accountError({ httpStatus }), CallScope.Account).type).toBe(type);
  });

  it('calls about one pair keep their classification: undocumented and 4xx are refused at once', () => {
    expect(classifyFailure(accountError({ errcode: 1005 })).type).toBe(WeChatFailureType.Refused);
    expect(classifyFailure(accountError({ errcode: 89013 }), CallScope.Pair).type).toBe(WeChatFailureType.Refused);
    expect(classifyFailure(accountError({ httpStatus: 404 }), CallScope.Pair).type).toBe(WeChatFailureType.Refused);
  });

  it('an unconfirmed refusal is retryable and carries errcode, errmsg and HTTP status like any failure', () => {
    const failure = weChatFailure(accountError({ errcode: 1005 }), '', CallScope.Account);
    expect(failure).toMatchObject({ type: WeChatFailureType.UnconfirmedRefusal, nonRetryable: false });
    expect(failure.details).toEqual([
      { endpoint: 'wxamplinkget', url: expect.stringContaining('access_token=[REDACTED]'), errcode: 1005, errmsg: 'message of 1005' },
    ]);
    const http = weChatFailure(accountError({ httpStatus: 403 }), '', CallScope.Account);
    expect(http).toMatchObject({ type: WeChatFailureType.UnconfirmedRefusal, nonRetryable: false, details: [expect.objectContaining({ httpStatus: 403 })] });
    expect(weChatFailure(accountError({ errcode: 61007 }), '', CallScope.Account)).toMatchObject({ type: WeChatFailureType.Refused, nonRetryable: true });
  });
});
