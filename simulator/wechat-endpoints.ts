// The WeChat side of the simulator: the three mini-program link endpoints, answered the way
// WeChat answers them (errors as `{errcode, errmsg}` with HTTP 200), plus injected faults. It
// works on a plain request record so that it can be exercised without a socket.
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultSnapshot, type WeChatAnswer, WeChatEndpoint } from './sim-types';
import { type SimulatorState } from './simulator-state';
import { weChatError, weChatOk } from './wechat-errors';

/** The content type WeChat's API answers JSON with. */
export const WECHAT_CONTENT_TYPE = 'application/json; encoding=utf-8';

/** The endpoint served at each path. */
export const WECHAT_PATHS: Readonly<Record<string, WeChatEndpoint>> = {
  '/cgi-bin/wxopen/wxamplinkget': WeChatEndpoint.LinkGet,
  '/cgi-bin/wxopen/wxamplink': WeChatEndpoint.Link,
  '/cgi-bin/wxopen/wxampunlink': WeChatEndpoint.Unlink,
};

/** A request as the simulator sees it: method, path with query, and the whole body. */
export interface SimRequest {
  method: string;
  url: string;
  body: string;
}

/** An answer ready for the wire. */
export interface SimResponse {
  httpStatus: number;
  contentType: string;
  body: string;
}

/** Options of {@link answerWeChatCall}. */
export interface WeChatCallOptions {
  /** Aborts a fault's delay (when the simulator closes); the call then rejects. */
  signal?: AbortSignal;
  /** Receives one line per call, token masked. */
  log?: (line: string) => void;
}

type JsonObject = Record<string, unknown>;
/** A request body: empty, not a JSON object, or an object. */
export type ParsedBody = { kind: 'empty' } | { kind: 'invalid' } | { kind: 'object'; value: JsonObject };

/**
 * Answers one request to the WeChat side and records it in the call log. Checks run in WeChat's
 * order: path, token (41001 / 40001), then injected faults, then method (43002) and body.
 */
export async function answerWeChatCall(state: SimulatorState, request: SimRequest, options: WeChatCallOptions = {}): Promise<SimResponse> {
  const url = new URL(request.url, 'http://simulator.invalid');
  const endpoint = WECHAT_PATHS[url.pathname];
  const token = url.searchParams.get('access_token');
  const tokenCheck = token ? state.checkToken(token) : null;
  // A replaced or expired token still names its account in the log; an unknown one names none.
  const accountAppId = tokenCheck?.appId ?? null;
  const parsed = parseBody(request.body);
  const appid = parsed.kind === 'object' && typeof parsed.value.appid === 'string' ? parsed.value.appid : null;
  const record = state.beginCall({
    method: request.method,
    url: request.url,
    endpoint: endpoint ?? 'other',
    accountAppId,
    miniProgramAppId: appid,
    body: parsed.kind === 'object' ? parsed.value : bodyForLog(request.body),
  });

  let response: SimResponse;
  let faulted = false;
  if (endpoint === undefined) {
    response = json(404, { errcode: 404, errmsg: `no such API: ${url.pathname}` });
  } else if (!token || tokenCheck === null) {
    response = json(200, weChatError(41001));
  } else if (!tokenCheck.ok) {
    response = json(200, weChatError(tokenCheck.errcode));
  } else {
    const fault = state.takeFault({ endpoint, accountAppId: tokenCheck.appId, miniProgramAppId: appid });
    // A lost answer: WeChat carried the call out, and its answer never arrived (or arrived garbled).
    const carriedOut = fault?.afterApplying === true ? answerEndpoint(state, endpoint, tokenCheck.appId, request.method, parsed) : null;
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs, undefined, { signal: options.signal });
    const faultAnswer = fault === null ? null : faultResponse(fault, endpoint);
    faulted = fault !== null;
    response = faultAnswer ?? json(200, carriedOut ?? answerEndpoint(state, endpoint, tokenCheck.appId, request.method, parsed));
  }

  const errcode = errcodeOf(response.body);
  state.finishCall(record, { httpStatus: response.httpStatus, errcode, faulted });
  options.log?.(
    `${request.method} ${record.maskedUrl} -> ${response.httpStatus} errcode=${errcode ?? '-'}` +
      ` account=${accountAppId ?? '-'}${appid === null ? '' : ` appid=${appid}`}${faulted ? ' [fault]' : ''}`,
  );
  return response;
}

/** The normal answer of an endpoint, once the token is known to be good and no fault intervened. */
function answerEndpoint(state: SimulatorState, endpoint: WeChatEndpoint, accountAppId: string, method: string, body: ParsedBody): WeChatAnswer {
  if (method !== 'POST') return weChatError(43002);
  if (body.kind === 'empty') return weChatError(44002);
  if (body.kind === 'invalid') return weChatError(47001);
  const fields = body.value;
  if (endpoint === WeChatEndpoint.LinkGet) {
    return { ...weChatOk(), wxopens: { items: state.pollLinks(accountAppId) } };
  }
  const appid = fields.appid;
  if (typeof appid !== 'string' || appid === '') return weChatError(41002);
  if (endpoint === WeChatEndpoint.Unlink) return state.requestUnlink(accountAppId, appid);
  // Only the strings "1" and "0" are accepted: SDKs that send "", "true", true or 1 fail here too.
  for (const flag of ['notify_users', 'show_profile'] as const) {
    if (fields[flag] !== '1' && fields[flag] !== '0') return weChatError(47001, `data format error hint: ${flag}`);
  }
  return state.requestLink(accountAppId, {
    appid,
    notifyUsers: fields.notify_users === '1',
    showProfile: fields.show_profile === '1',
  });
}

/** What a fault answers on `endpoint`; null for a delay-only fault, which then lets the call through. */
export function faultResponse(fault: FaultSnapshot, endpoint?: string): SimResponse | null {
  const status = fault.httpStatus ?? 200;
  if (fault.rawBody !== undefined) return { httpStatus: status, contentType: WECHAT_CONTENT_TYPE, body: fault.rawBody };
  if (fault.oversizeBytes !== undefined) return { httpStatus: status, contentType: WECHAT_CONTENT_TYPE, body: oversizeBody(fault.oversizeBytes, endpoint) };
  if (fault.errcode !== undefined) return json(status, weChatError(fault.errcode, fault.errmsg));
  if (fault.httpStatus !== undefined) {
    // What a gateway in front of WeChat answers: HTML, not JSON, so clients must not parse blindly.
    return { httpStatus: status, contentType: 'text/html', body: `<html>${status} ${STATUS_CODES[status] ?? 'Error'}</html>` };
  }
  return null;
}

/**
 * A valid success answer padded with spaces to `oversizeBytes`: what a client without a size
 * limit would read, whole, as "all is well" (and, on `wxamplinkget`, as "no entries").
 */
function oversizeBody(bytes: number, endpoint: string | undefined): string {
  const answer = endpoint === WeChatEndpoint.LinkGet ? { ...weChatOk(), wxopens: { items: [] } } : weChatOk();
  const text = JSON.stringify(answer);
  return text + ' '.repeat(Math.max(0, bytes - Buffer.byteLength(text)));
}

/** Parses a request body. */
export function parseBody(raw: string): ParsedBody {
  if (raw.trim() === '') return { kind: 'empty' };
  try {
    const value: unknown = JSON.parse(raw);
    return isJsonObject(value) ? { kind: 'object', value } : { kind: 'invalid' };
  } catch {
    return { kind: 'invalid' };
  }
}

/** A body for the call log: parsed when it is any JSON, else the raw text. */
export function bodyForLog(raw: string): unknown {
  try {
    return raw.trim() === '' ? raw : (JSON.parse(raw) as unknown);
  } catch {
    return raw;
  }
}

/** The errcode of an answer body, or null. */
export function errcodeOf(body: string): number | null {
  try {
    const value: unknown = JSON.parse(body);
    return isJsonObject(value) && typeof value.errcode === 'number' ? value.errcode : null;
  } catch {
    return null;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON answer with WeChat's content type. */
export function json(httpStatus: number, answer: WeChatAnswer): SimResponse {
  return { httpStatus, contentType: WECHAT_CONTENT_TYPE, body: JSON.stringify(answer) };
}
