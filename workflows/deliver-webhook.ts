/**
 * `deliverWebhook`: one webhook event to one receiver, retried with back-off until it answers 2xx
 * or `retryForMs` has passed (docs/webhooks.md). Started by a link, unlink or campaign as a child
 * that outlives it (parent close policy ABANDON), so the outcome is never held back by a failing
 * receiver, and a delivery still retrying shows in the Web UI as a running `deliverWebhook`.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliverWebhookInput } from './webhook/webhook-notifier';

/** The first retry comes after a second; retries double up to this, so a receiver back up is served within ten minutes. */
const MAX_RETRY_INTERVAL = '10m';

/** Delivers `input.event` to `input.target`; fails (visibly) once `retryForMs` has passed without a 2xx. */
export async function deliverWebhook(input: DeliverWebhookInput): Promise<{ eventId: string; httpStatus: number }> {
  const { deliverWebhookEvent } = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: input.retryForMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: MAX_RETRY_INTERVAL, nonRetryableErrorTypes: ['WebhookNotConfigured'] },
  });
  const { httpStatus } = await deliverWebhookEvent({ target: input.target, event: input.event });
  return { eventId: input.event.id, httpStatus };
}
