/**
 * What the operator of a worker decides for every account, whatever a starter asks for: the
 * floor under the poll intervals (`WXAMP_MIN_POLL_INTERVAL`) and how many account-level refusals
 * of `wxamplinkget`, over how long, end the waiters (`WXAMP_ACCOUNT_REFUSAL_ANSWERS`,
 * `WXAMP_ACCOUNT_REFUSAL_SPAN`). The worker reads it, its `readOperatorPolicy` local activity
 * hands it to the workflows, which apply it (workflows/operator-policy.ts). Pure: safe in the
 * workflow sandbox.
 */

/** The operator's limits, as the workflows read them. */
export interface OperatorPolicy {
  /** No account is polled more often than this, whatever `pollInterval` a starter gave. @default 5000 */
  minPollIntervalMs: number;
  /** Account-level refusals of `wxamplinkget` (see `WeChatFailureType.UnconfirmedRefusal`) that end the waiters. */
  accountRefusal: {
    /** At least this many such answers in a row. @default 3 */
    answers: number;
    /** Spanning at least this long, first to last. @default 600000 (10 minutes) */
    spanMs: number;
  };
  /**
   * Outcome notifications (docs/webhooks.md): absent when the worker has no
   * `WXAMP_WEBHOOK_SECRET` (and so sends none), and in every history recorded before webhooks.
   */
  webhook?: WebhookPolicy;
}

/** What the workflows need to know of the operator's webhook settings (never the secret, never the URL). */
export interface WebhookPolicy {
  /** `WXAMP_WEBHOOK_URL` is set: every event goes there too. */
  operatorUrl: boolean;
  /** `WXAMP_WEBHOOK_ALLOWED_HOSTS`: the hosts a caller's `notifyUrl` may name; `null`: any host. */
  allowedHosts: string[] | null;
  /** `WXAMP_WEBHOOK_RETRY_FOR`: how long one event's delivery is retried. */
  retryForMs: number;
}

/** The default of `WXAMP_WEBHOOK_RETRY_FOR`: a receiver may be down for a day and still get every event. */
export const DEFAULT_WEBHOOK_RETRY_FOR_MS = 24 * 3600_000;

/**
 * Whether `host` (lower-case, no port) is in an allow-list of exact hosts and `*.suffix`
 * patterns; `null` allows every host.
 */
export function hostAllowed(host: string, allowedHosts: readonly string[] | null): boolean {
  if (allowedHosts === null) return true;
  return allowedHosts.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
}

/** The defaults (what DESIGN and docs/configuration.md state). */
export const DEFAULT_OPERATOR_POLICY: OperatorPolicy = {
  minPollIntervalMs: 5_000,
  accountRefusal: { answers: 3, spanMs: 10 * 60_000 },
};
