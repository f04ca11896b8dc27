/**
 * The HTTP side of WeChat's token endpoints (`stable_token`, `api_component_token`,
 * `api_authorizer_token`): one POST per call, and every way it can fail turned into an
 * {@link AccessTokenUnavailableError} whose message says what went wrong and what fixes it, with
 * every secret of the request masked. Retrying is the workflow's job, as for the link APIs.
 */
import { AnswerTooLargeError, fetchAnswer, MAX_ANSWER_BYTES } from '../http-answer';
import { parseJsonObject, readErrcode } from '../json-object';
import { redact, redactedError, urlSecrets } from '../redact';
import { AccessTokenUnavailableError } from './access-token-provider';
import { fixAdvice, TokenFix, tokenErrcodeRule } from './token-errcodes';

/** Options of {@link TokenEndpointClient}. */
export interface TokenEndpointClientOptions {
  /** Where the API lives. @default 'https://api.weixin.qq.com' */
  baseUrl?: string;
  /** Give up on a request after this many milliseconds. @default 10000 */
  timeoutMs?: number;
  /** A larger answer body is a retryable failure, not read further. @default {@link MAX_ANSWER_BYTES} (1 MiB) */
  maxAnswerBytes?: number;
}

/** One token request. */
export interface TokenRequest {
  /** The path, e.g. `/cgi-bin/stable_token`. */
  path: string;
  /** Query parameters (the component token of `api_authorizer_token`). */
  query?: Readonly<Record<string, string>>;
  body: Readonly<Record<string, unknown>>;
  /** The account (or platform) the token is for, named in errors. */
  accountAppId: string;
  /** Every secret the request carries: masked wherever they could show. */
  secrets: readonly string[];
  /** Where the credential comes from, for the advice in errors (never its value). */
  setting: string;
}

/** A successful answer: `errcode` 0 or absent. */
export type TokenAnswer = Record<string, unknown>;

/** Calls WeChat's token endpoints. */
export class TokenEndpointClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  /** Credentials in the base URL itself (a gateway's key, user-info): masked like the request's secrets. */
  private readonly baseUrlSecrets: readonly string[];

  constructor(options: TokenEndpointClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'https://api.weixin.qq.com').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.baseUrlSecrets = urlSecrets(this.baseUrl);
  }

  /**
   * POSTs the request as JSON. Resolves with the answer when its errcode is 0 or absent.
   * @throws {@link AccessTokenUnavailableError} for an errcode, a non-2xx status, a body that is
   * not a JSON object, a network failure or a time-out.
   */
  async post(request: TokenRequest): Promise<TokenAnswer> {
    const endpoint = request.path.split('/').pop() ?? request.path;
    const url = new URL(this.baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${request.path}`;
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const secrets = [...request.secrets, ...this.baseUrlSecrets];
    const shownUrl = redact(url.toString(), secrets);
    const fail = (what: string, fix: TokenFix, extra: { errcode?: number; errmsg?: string; cause?: Error } = {}) =>
      new AccessTokenUnavailableError(
        request.accountAppId,
        redact(`no access token for ${request.accountAppId}: ${endpoint} ${what}; ${fixAdvice(fix, request.setting)} (POST ${shownUrl})`, secrets),
        {
          ...(extra.cause && { cause: extra.cause }),
          endpointFailure: {
            endpoint,
            ...(extra.errcode !== undefined && { errcode: extra.errcode }),
            ...(extra.errmsg !== undefined && { errmsg: extra.errmsg }),
          },
        },
      );

    let status: number;
    let text: string;
    try {
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      };
      ({ status, text } = await fetchAnswer(url.toString(), init, this.maxAnswerBytes));
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw fail(`answered with a body larger than ${error.maxBytes} bytes (not read further)`, TokenFix.Wait);
      const cause = redactedError(error, [url.toString(), ...secrets]);
      const timedOut = cause.name === 'AbortError' || cause.name === 'TimeoutError';
      throw fail(timedOut ? `gave no answer within ${this.timeoutMs}ms` : `could not be reached: ${cause.message}`, TokenFix.Wait, { cause });
    }
    if (status < 200 || status >= 300) throw fail(`answered HTTP ${status}`, TokenFix.Wait);
    const answer = parseJsonObject<TokenAnswer>(text);
    if (answer === undefined) throw fail('answered with a body that is not a JSON object', TokenFix.Wait);
    const reading = readErrcode(answer);
    if (!reading.ok) throw fail(`answered garbled: ${reading.why}`, TokenFix.Wait);
    const { errcode } = reading;
    if (errcode !== 0) {
      const errmsg = redact(typeof answer.errmsg === 'string' ? answer.errmsg : '', secrets);
      const rule = tokenErrcodeRule(errcode, errmsg);
      throw fail(`answered errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}: ${rule.meaning}`, rule.fix, { errcode, errmsg });
    }
    return answer;
  }
}

/** A non-empty string field of an answer, or undefined. */
export function stringField(answer: TokenAnswer, name: string): string | undefined {
  const value = answer[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `expires_in` in seconds, WeChat's 7200 when absent or nonsensical. */
export function expiresInSec(answer: TokenAnswer): number {
  const value = answer.expires_in;
  const seconds = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 7200;
}
