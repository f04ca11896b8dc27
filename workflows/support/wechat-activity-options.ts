/** How the workflows call the WeChat activities. */
import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Options of the WeChat activities. The HTTP client gives up after its own time-out (10 s by
 * default); the start-to-close time-out only catches a worker that died mid-call. One attempt per
 * activity: the workflow retries, per failure type, and shows each failure in its state.
 */
export const WECHAT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 1 },
};
