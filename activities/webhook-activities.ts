/**
 * Posting a webhook event to its receiver, signed (docs/webhooks.md). One attempt per activity
 * attempt: the `deliverWebhook` workflow's retry policy does the waiting, so a receiver that is
 * down for hours costs a timer, not a worker slot. The operator's URL and the secret stay in this
 * process: the workflows name a target (`operator` or the caller's URL), never the secret.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WebhookHeader, type WebhookEvent, type WebhookTarget } from '../common/webhook-event';
import { signWebhook } from '../common/signing/webhook-signature';
import { fetchAnswer } from './http-answer';
import { redact, urlSecrets } from './redact';

/** Failure types of a delivery attempt (retried, but for {@link WEBHOOK_NOT_CONFIGURED}). */
export const WebhookFailureType = {
  /** The receiver answered, but not with a 2xx. */
  Rejected: 'WebhookRejected',
  /** No answer: connection refused, reset, timed out. */
  Unreachable: 'WebhookUnreachable',
} as const;

/** The worker lost the setting the event needs (no secret, or no `WXAMP_WEBHOOK_URL` any more): retrying cannot help. */
export const WEBHOOK_NOT_CONFIGURED = 'WebhookNotConfigured';

/** What the activity needs from the worker's configuration. */
export interface WebhookDeliveryDeps {
  /** `WXAMP_WEBHOOK_URL`. */
  operatorUrl?: string;
  /** `WXAMP_WEBHOOK_SECRET`; without it, no event is sent. */
  secret?: string;
  /** One attempt's limit. @default 10000 */
  timeoutMs?: number;
}

/** Input of `deliverWebhookEvent`. */
export interface DeliverWebhookEventInput {
  target: WebhookTarget;
  event: WebhookEvent;
}

/** The most of a receiver's answer read: it is only looked at for its status. */
const MAX_RECEIVER_ANSWER_BYTES = 64 * 1024;

/** Builds the activity that posts one webhook event. */
export function createWebhookActivities(deps: WebhookDeliveryDeps = {}) {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return {
    /** Posts `event` to its target once, signed; throws (to be retried) unless the receiver answers 2xx. */
    async deliverWebhookEvent({ target, event }: DeliverWebhookEventInput): Promise<{ httpStatus: number }> {
      const url = target.kind === 'operator' ? deps.operatorUrl : target.url;
      if (deps.secret === undefined || url === undefined) {
        throw ApplicationFailure.nonRetryable(
          deps.secret === undefined ? 'the worker has no WXAMP_WEBHOOK_SECRET: events are not sent' : 'the worker has no WXAMP_WEBHOOK_URL any more',
          WEBHOOK_NOT_CONFIGURED,
        );
      }
      const secrets = [deps.secret, ...urlSecrets(url)];
      const receiver = redact(url, secrets);
      const body = JSON.stringify(event);
      const timestamp = Math.floor(Date.now() / 1_000);
      let status: number;
      try {
        ({ status } = await fetchAnswer(
          url,
          {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'user-agent': 'wxamp-link',
              [WebhookHeader.EventId]: event.id,
              [WebhookHeader.EventType]: event.type,
              [WebhookHeader.Timestamp]: String(timestamp),
              [WebhookHeader.Signature]: signWebhook(deps.secret, timestamp, body),
            },
            signal: AbortSignal.timeout(timeoutMs),
            redirect: 'manual',
          },
          MAX_RECEIVER_ANSWER_BYTES,
        ));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw ApplicationFailure.retryable(redact(`${event.type} ${event.id} not delivered to ${receiver}: ${why}`, secrets), WebhookFailureType.Unreachable);
      }
      if (status < 200 || status > 299) {
        throw ApplicationFailure.retryable(`${event.type} ${event.id} refused by ${receiver}: HTTP ${status}`, WebhookFailureType.Rejected);
      }
      return { httpStatus: status };
    },
  };
}
