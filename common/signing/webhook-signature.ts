/**
 * The webhook signature: HMAC-SHA256 over `<timestamp>.<body>` with the operator's secret, sent as
 * `v1=<hex>`. The worker signs with it (activities/webhook-activities.ts); receivers written in
 * Node check with {@link verifyWebhookSignature}, exported by the client library; docs/webhooks.md
 * shows the same check in other languages.
 *
 * Node only (node:crypto): never imported by workflow code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature scheme's version prefix: a later scheme gets another, and receivers can tell. */
const VERSION = 'v1=';

/** Seconds a signed request stays acceptable: long enough for clock skew, too short for a replay days later. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The `x-wxamp-signature` header's value for `body` sent at `timestampSeconds`. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return VERSION + createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

/** What a receiver has of a request. */
export interface SignedWebhookRequest {
  /** The raw body, exactly as received (parse it only after the check). */
  body: string;
  /** The `x-wxamp-timestamp` header. */
  timestamp: string | undefined;
  /** The `x-wxamp-signature` header. */
  signature: string | undefined;
}

/**
 * Whether a webhook request is genuine and fresh: signed with `secret`, and its timestamp within
 * `toleranceSeconds` of `nowMs`. Compares in constant time.
 */
export function verifyWebhookSignature(
  request: SignedWebhookRequest,
  secret: string,
  { toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, nowMs = Date.now() }: { toleranceSeconds?: number; nowMs?: number } = {},
): boolean {
  const { timestamp, signature, body } = request;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1_000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
