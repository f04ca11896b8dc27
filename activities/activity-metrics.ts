/**
 * The activities' own metrics, through the activity's metric meter (which adds the activity type,
 * namespace and task queue as labels): every WeChat call by endpoint and errcode, its duration,
 * and every token fetch. Outside an activity (unit tests, scripts) nothing is recorded.
 */
import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import { isWeChatApiError } from './wechat-api-error';

/** The names of the activities' metrics (documented in docs/deployment.md). */
export const ActivityMetric = {
  /** Counter. Labels: `endpoint`, `errcode` (`0` for success, `none` when there was no errcode), `result`. */
  WeChatCalls: 'wxamp_wechat_calls',
  /** Histogram, seconds. Labels: `endpoint`, `result`. */
  WeChatCallDuration: 'wxamp_wechat_call_duration_seconds',
  /** Counter. Labels: `source` (`token_service`, `stable_token`, …), `forced` (after a rejection), `result`. */
  TokenFetches: 'wxamp_token_fetches',
} as const;
export type ActivityMetric = (typeof ActivityMetric)[keyof typeof ActivityMetric];

/** Bucket bounds of {@link ActivityMetric.WeChatCallDuration}, seconds (the HTTP time-out is 10 s by default). */
export const WECHAT_CALL_DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/**
 * Runs one WeChat request and counts it: `result` is `ok`, or the failure's kind (`errcode`,
 * `http_status`, `bad_body`, `network`, `timeout`). The answer or error passes through untouched.
 */
export async function observeWeChatCall<T>(endpoint: string, request: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const answer = await request();
    recordWeChatCall(endpoint, 'ok', '0', started);
    return answer;
  } catch (error) {
    if (isWeChatApiError(error)) recordWeChatCall(endpoint, error.kind, error.errcode === undefined ? 'none' : String(error.errcode), started);
    else recordWeChatCall(endpoint, 'error', 'none', started);
    throw error;
  }
}

/** Runs one token fetch and counts it by `source`, whether it was `forced` (after a rejection) and its `result`. */
export async function observeTokenFetch<T>(source: string, forced: boolean, fetch: () => Promise<T>): Promise<T> {
  const countFetch = (result: 'ok' | 'error'): void => {
    meter()
      ?.createCounter(ActivityMetric.TokenFetches, '', 'access-token fetches (forced: after WeChat rejected a token)')
      .add(1, { source, forced: String(forced), result });
  };
  try {
    const fetched = await fetch();
    countFetch('ok');
    return fetched;
  } catch (error) {
    countFetch('error');
    throw error;
  }
}

function recordWeChatCall(endpoint: string, result: string, errcode: string, startedMs: number): void {
  const metrics = meter();
  if (!metrics) return;
  metrics.createCounter(ActivityMetric.WeChatCalls, '', 'WeChat API calls, by endpoint and errcode').add(1, { endpoint, errcode, result });
  metrics
    .createHistogram(ActivityMetric.WeChatCallDuration, 'float', 's', 'WeChat API call duration')
    .record((performance.now() - startedMs) / 1000, { endpoint, result });
}

/** The current activity's meter, or none outside an activity. */
function meter(): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return undefined;
  }
}
