/**
 * The HTTP side of WeChat's token endpoints (`stable_token`, `api_component_token`,
 * `api_authorizer_token`): one POST per call, and every way it can fail turned into an
 * {@link AccessTokenUnavailableError} whose message says what went wrong and what fixes it, with
 * every secret of the request masked. Retrying is the workflow's job, as for the link APIs.
 */
import { parseJsonObject } from '../json-object';
import fetch from 'node-fetch';
import { redact, redactedError } from '../redact';
import { AccessTokenUnavailableError } from './access-token-provider';
import { fixAdvice, TokenFix, tokenErrcodeRule } from './token-errcodes';

/** Options of {@link TokenEndpointClient}. */
export interface TokenEndpointClientOptions {
  /** Where the API lives. @default 'https://api.weixin.qq.com' */
  baseUrl?: string;
  /** Give up on a request after this many milliseconds. @default 10000 */
  timeoutMs?: number;
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

  constructor(options: TokenEndpointClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'https://api.weixin.qq.com').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * POSTs the request as JSON. Resolves with the answer when its errcode is 0 or absent.
   * @throws {@link AccessTokenUnavailableError} for an errcode, a non-2xx status, a body that is
   * not a JSON object, a network failure or a time-out.
   */
  async post(request: TokenRequest): Promise<TokenAnswer> {
    const endpoint = request.path.split('/').pop() ?? request.path;
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const shownUrl = redact(url.toString(), request.secrets);
    const fail = (what: string, fix: TokenFix, extra: { errcode?: number; errmsg?: string; cause?: Error } = {}) =>
      new AccessTokenUnavailableError(
        request.accountAppId,
        redact(`no access token for ${request.accountAppId}: ${endpoint} ${what}; ${fixAdvice(fix, request.setting)} (POST ${shownUrl})`, request.secrets),
        {
          ...(extra.cause && { cause: extra.cause }),
          endpointFailure: { endpoint, ...(extra.errcode !== undefined && { errcode: extra.errcode }), ...(extra.errmsg !== undefined && { errmsg: extra.errmsg }) },
        },
      );

    let status: number;
    let text: string;
    try {
      const response = await fetch(url.toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const cause = redactedError(error, [...request.secrets, url.toString()]);
      const timedOut = cause.name === 'AbortError' || cause.name === 'TimeoutError';
      throw fail(timedOut ? `gave no answer within ${this.timeoutMs}ms` : `could not be reached: ${cause.message}`, TokenFix.Wait, { cause });
    }
    if (status < 200 || status >= 300) throw fail(`answered HTTP ${status}`, TokenFix.Wait);
    const answer = parseJsonObject<TokenAnswer>(text);
    if (answer === undefined) throw fail('answered with a body that is not a JSON object', TokenFix.Wait);
    const errcode = typeof answer.errcode === 'number' ? answer.errcode : Number(answer.errcode ?? 0);
    if (Number.isNaN(errcode)) throw fail('answered with an errcode that is not a number', TokenFix.Wait);
    if (errcode !== 0) {
      const errmsg = redact(typeof answer.errmsg === 'string' ? answer.errmsg : '', request.secrets);
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

