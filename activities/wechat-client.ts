/**
 * A small WeChat API client on node-fetch. It makes exactly one request per call and turns every
 * way that request can fail into a {@link WeChatApiError}; retrying is Temporal's job, not its own.
 */
import type { RequestInit } from 'node-fetch';
import { AnswerTooLargeError, fetchAnswer, MAX_ANSWER_BYTES } from './http-answer';
import { parseJsonObject, readErrcode } from './json-object';
import { redact, urlSecrets } from './redact';
import { WeChatApiError } from './wechat-api-error';

/** Options of {@link WeChatClient}. */
export interface WeChatClientOptions {
  /** Where the API lives. @default 'https://api.weixin.qq.com' */
  baseUrl?: string;
  /** Give up on a request after this many milliseconds. @default 10000 */
  timeoutMs?: number;
  /** A larger answer body is a transient failure, not read further. @default {@link MAX_ANSWER_BYTES} (1 MiB) */
  maxAnswerBytes?: number;
}

/** A parsed WeChat answer whose `errcode` is 0 or absent. */
export type WeChatAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** The default API base. */
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

/** Calls WeChat's JSON-over-POST APIs with an access token. */
export class WeChatClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  /** Credentials in the base URL itself (a gateway's key, user-info): masked like the token. */
  private readonly baseUrlSecrets: readonly string[];

  constructor(options: WeChatClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.baseUrlSecrets = urlSecrets(this.baseUrl);
  }

  /**
   * POSTs `body` as JSON to `path` with the token in the query string, as WeChat wants it.
   * Resolves with the answer when `errcode` is 0 or absent.
   * @throws {@link WeChatApiError} for a non-zero errcode (HTTP 200 included), a non-2xx status,
   * a body that is not a JSON object or has an errcode that is not a number, a body over the size
   * limit, a network failure or a time-out.
   */
  async post(path: string, accessToken: string, body: unknown, signal?: AbortSignal): Promise<WeChatAnswer> {
    const endpoint = path.split('/').pop() ?? path;
    const url = this.requestUrl(path, accessToken);
    const secrets = [accessToken, ...this.baseUrlSecrets];
    const redactedUrl = redact(url, secrets);
    const fail = (message: string, fields: Omit<ConstructorParameters<typeof WeChatApiError>[1], 'endpoint' | 'redactedUrl'>) =>
      new WeChatApiError(redact(`${endpoint}: ${message} (POST ${redactedUrl})`, secrets), { ...fields, endpoint, redactedUrl });

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    };

    let status: number;
    let text: string;
    try {
      ({ status, text } = await fetchAnswer(url, init, this.maxAnswerBytes));
    } catch (error) {
      if (error instanceof AnswerTooLargeError) {
        return Promise.reject(fail(`${error.message}: not read further`, { kind: 'too_large', httpStatus: error.httpStatus }));
      }
      const cause = sanitizedError(error, secrets);
      if (timeout.aborted) return Promise.reject(fail(`no answer within ${this.timeoutMs}ms`, { kind: 'timeout', cause }));
      return Promise.reject(fail(`request failed: ${cause.message}`, { kind: 'network', cause }));
    }

    if (status < 200 || status >= 300) {
      throw fail(`HTTP ${status}${snippet(text) ? `: ${snippet(text)}` : ''}`, { kind: 'http_status', httpStatus: status });
    }
    const answer = parseJsonObject<WeChatAnswer>(text);
    if (answer === undefined) {
      throw fail(`the answer is not a JSON object: ${snippet(text) || '(empty body)'}`, { kind: 'bad_body', httpStatus: status });
    }
    const reading = readErrcode(answer);
    if (!reading.ok) throw fail(reading.why, { kind: 'bad_body', httpStatus: status });
    const { errcode } = reading;
    if (errcode !== 0) {
      const errmsg = redact(typeof answer.errmsg === 'string' ? answer.errmsg : '', secrets);
      throw fail(`errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}`, { kind: 'errcode', errcode, errmsg, httpStatus: status });
    }
    return answer;
  }

  /** The request URL: the base (which may carry a path, a query or user-info of its own), the path, the token. */
  private requestUrl(path: string, accessToken: string): string {
    const url = new URL(this.baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.searchParams.set('access_token', accessToken);
    return url.toString();
  }
}

/** The first characters of a body, on one line, for an error message. */
function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}

/** A copy of a library error whose message and stack cannot leak the token (node-fetch quotes the URL). */
function sanitizedError(error: unknown, secrets: readonly string[]): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redact(original.message, secrets));
  copy.name = original.name;
  copy.stack = redact(original.stack ?? '', secrets);
  return copy;
}
