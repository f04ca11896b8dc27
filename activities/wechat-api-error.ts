/**
 * The one error the WeChat client throws: everything a caller needs to classify the failure,
 * readonly, with the request URL already redacted.
 */

/** What went wrong at the transport level, or that WeChat answered an errcode. */
export type WeChatFailureKind =
  /** HTTP 200 with a non-zero `errcode` in the body. */
  | 'errcode'
  /** An HTTP status other than 2xx. */
  | 'http_status'
  /** A 2xx body that is not a JSON object, or whose errcode is not a number. */
  | 'bad_body'
  /** A body larger than the client's limit (not read further). */
  | 'too_large'
  /** No answer: connection refused, reset, DNS. */
  | 'network'
  /** No answer within the client's time-out. */
  | 'timeout';

/** Fields of a {@link WeChatApiError}. */
export interface WeChatApiErrorFields {
  kind: WeChatFailureKind;
  /** The API called, e.g. `wxamplink`. */
  endpoint: string;
  /** The request URL with its access token masked. */
  redactedUrl: string;
  errcode?: number;
  errmsg?: string;
  httpStatus?: number;
  /** The underlying error, with any secret already masked from its message. */
  cause?: Error;
}

const BRAND = Symbol.for('wxamp-link.WeChatApiError');

/** A failed WeChat API call. Never carries an access token. */
export class WeChatApiError extends Error {
  readonly kind: WeChatFailureKind;
  readonly endpoint: string;
  readonly redactedUrl: string;
  readonly errcode: number | undefined;
  readonly errmsg: string | undefined;
  readonly httpStatus: number | undefined;
  readonly [BRAND] = true;

  constructor(message: string, fields: WeChatApiErrorFields) {
    super(message, fields.cause ? { cause: fields.cause } : undefined);
    this.name = 'WeChatApiError';
    this.kind = fields.kind;
    this.endpoint = fields.endpoint;
    this.redactedUrl = fields.redactedUrl;
    this.errcode = fields.errcode;
    this.errmsg = fields.errmsg;
    this.httpStatus = fields.httpStatus;
  }
}

/** True for a {@link WeChatApiError}, also one from another copy of this module (another realm). */
export function isWeChatApiError(error: unknown): error is WeChatApiError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
