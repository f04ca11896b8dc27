/**
 * Turns a failed WeChat call (or a missing token) into the `ApplicationFailure` that workflows
 * read: its `type` is the failure class of the errcode table, its details carry errcode and errmsg.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WeChatFailureType } from '../common/wechat-answers';
import { CallScope, classifyFailure } from './errcodes';
import type { WeChatApiError } from './wechat-api-error';
import type { AccessTokenUnavailableError } from './tokens/access-token-provider';

/** Details attached to every failure an activity raises (the workflow reads them back). */
export interface WeChatFailureDetails {
  endpoint: string;
  errcode?: number;
  errmsg?: string;
  httpStatus?: number;
  /** Request URL with the token masked. */
  url: string;
}

/**
 * The `ApplicationFailure` for a failed WeChat call; definitive refusals are non-retryable (an
 * unconfirmed refusal is retryable: the workflow decides when it is confirmed).
 */
export function weChatFailure(error: WeChatApiError, context = '', scope: CallScope = CallScope.Pair): ApplicationFailure {
  const { type, meaning } = classifyFailure(error, scope);
  const details: WeChatFailureDetails = {
    endpoint: error.endpoint,
    url: error.redactedUrl,
    ...(error.errcode !== undefined && { errcode: error.errcode }),
    ...(error.errmsg !== undefined && { errmsg: error.errmsg }),
    ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
  };
  return ApplicationFailure.create({
    type,
    message: `${error.message} — ${meaning}${context ? `; ${context}` : ''}`,
    nonRetryable: type === WeChatFailureType.Refused,
    details: [details],
  });
}

/** Details of an `AccessTokenUnavailable` failure whose cause was a WeChat token endpoint. */
export interface TokenUnavailableDetails {
  /** The token API, e.g. `stable_token`. */
  endpoint: string;
  accountAppId: string;
  errcode?: number;
  errmsg?: string;
}

/**
 * The `ApplicationFailure` for an account without a usable token. Retryable even for a wrong
 * secret or a dead refresh token: the workflow backs off, says why in `lastError` (errcode
 * included), and goes on by itself once an operator or a re-authorization fixes it.
 */
export function tokenUnavailableFailure(error: AccessTokenUnavailableError): ApplicationFailure {
  const failure = error.endpointFailure;
  const details: TokenUnavailableDetails[] = failure
    ? [
        {
          endpoint: failure.endpoint,
          accountAppId: error.accountAppId,
          ...(failure.errcode !== undefined && { errcode: failure.errcode }),
          ...(failure.errmsg !== undefined && { errmsg: failure.errmsg }),
        },
      ]
    : [];
  return ApplicationFailure.create({
    type: WeChatFailureType.TokenUnavailable,
    message: error.message,
    nonRetryable: false,
    details,
  });
}
