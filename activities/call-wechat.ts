/**
 * One WeChat call on behalf of an official account: get its token, call, and when WeChat rejects
 * the token (40001, 40014, 42001) drop exactly that token and try once more with a fresh one.
 * Failures leave as `ApplicationFailure`s; answers that are benign for the API are returned.
 */
import { Context, log } from '@temporalio/activity';
import { WeChatFailureType } from '../common/wechat-answers';
import { observeWeChatCall } from './activity-metrics';
import { benignAnswer, CallScope, classifyFailure, type BenignAnswer, type LinkApi } from './errcodes';
import { tokenUnavailableFailure, weChatFailure } from './to-application-failure';
import { AccessTokenUnavailableError, type AccessTokenProvider } from './tokens/access-token-provider';
import { isWeChatApiError } from './wechat-api-error';
import type { WeChatAnswer, WeChatClient } from './wechat-client';

/** What a call resolved with: WeChat's answer, or an errcode that is benign for this API. */
export type CallOutcome = { kind: 'ok'; answer: WeChatAnswer } | { kind: 'benign'; benign: BenignAnswer; errcode: number; errmsg: string };

/** The pieces a call needs. */
export interface CallDeps {
  wechat: WeChatClient;
  tokens: AccessTokenProvider;
}

/** Options of {@link callWeChat}. */
export interface CallOptions {
  /**
   * Abort the request when the activity is cancelled. Off for calls shared by several activities
   * (one cancelled workflow must not abort the poll that others wait on). @default true
   */
  cancellable?: boolean;
  /**
   * Whom the call is about, for the classification of refusals: one pair, or the whole account
   * (`wxamplinkget` for waiting workflows, where one odd refusal must not end every waiter).
   * @default CallScope.Pair
   */
  scope?: CallScope;
}

/** Calls `api` for `accountAppId` with `body`. @throws ApplicationFailure typed by the errcode table. */
export async function callWeChat(deps: CallDeps, accountAppId: string, api: LinkApi, body: unknown, options: CallOptions = {}): Promise<CallOutcome> {
  const signal = options.cancellable === false ? undefined : cancellationSignal();
  for (let attempt = 1; ; attempt++) {
    const token = await getToken(deps.tokens, accountAppId);
    try {
      const answer = await observeWeChatCall(api, () => deps.wechat.post(`/cgi-bin/wxopen/${api}`, token, body, signal));
      return { kind: 'ok', answer };
    } catch (error) {
      if (!isWeChatApiError(error)) throw error;
      const benign = benignAnswer(api, error.errcode);
      if (error.kind === 'errcode' && benign) {
        return { kind: 'benign', benign, errcode: error.errcode ?? 0, errmsg: error.errmsg ?? '' };
      }
      const rejectedToken = classifyFailure(error).type === WeChatFailureType.TokenRejected;
      if (rejectedToken && attempt === 1 && (await deps.tokens.invalidate(accountAppId, token))) {
        log.warn('WeChat rejected the access token; retrying once with a fresh one', { api, accountAppId, errcode: error.errcode });
        continue;
      }
      const hint = rejectedToken
        ? `the token for ${accountAppId} from ${deps.tokens.source} was rejected${attempt > 1 ? ' again after a refresh' : ''}: replace it and the workflow goes on`
        : '';
      log.warn('WeChat call failed', { api, accountAppId, url: error.redactedUrl, errcode: error.errcode, kind: error.kind });
      throw weChatFailure(error, hint, options.scope ?? CallScope.Pair);
    }
  }
}

async function getToken(tokens: AccessTokenProvider, accountAppId: string): Promise<string> {
  try {
    return await tokens.getToken(accountAppId);
  } catch (error) {
    if (error instanceof AccessTokenUnavailableError) throw tokenUnavailableFailure(error);
    throw error;
  }
}

/** The activity's cancellation signal, so a cancelled workflow does not wait for a slow WeChat. */
function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // called outside an activity (unit tests, scripts)
  }
}
