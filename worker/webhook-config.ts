/**
 * The webhook half of the worker's configuration (docs/webhooks.md): where every event goes
 * (`WXAMP_WEBHOOK_URL`), the secret that signs it (`WXAMP_WEBHOOK_SECRET`), which hosts a caller's
 * `notifyUrl` may name (`WXAMP_WEBHOOK_ALLOWED_HOSTS`) and how long one event is retried
 * (`WXAMP_WEBHOOK_RETRY_FOR`). Each variable is read and checked by environment.ts; here, the
 * rules that tie them together, and the split between what the workflows may know (the policy:
 * no URL, no secret) and what only the delivering activity holds.
 */
import type { WebhookPolicy } from '../common/operator-policy';
import { ConfigError } from './config-error';
import type { WorkerEnvironment } from './environment';

/** Webhook settings, when the worker sends webhooks at all (a secret is set). */
export interface WebhookConfig {
  /** What the workflows learn through the operator policy. */
  policy: WebhookPolicy;
  /** `WXAMP_WEBHOOK_URL`, held by the delivering activity only (it may carry a credential). */
  operatorUrl: string | undefined;
  /** `WXAMP_WEBHOOK_SECRET`: signs every event; never leaves the worker process. */
  secret: string;
}

/** The webhook settings from the checked environment; `undefined` when no secret is set (no webhooks). */
export function webhookConfigOf(vars: WorkerEnvironment): WebhookConfig | undefined {
  const secret = vars.WXAMP_WEBHOOK_SECRET;
  if (secret === undefined) {
    if (vars.WXAMP_WEBHOOK_URL !== undefined) throw new ConfigError('WXAMP_WEBHOOK_SECRET: required with WXAMP_WEBHOOK_URL (every event is signed)');
    return undefined;
  }
  return {
    policy: {
      operatorUrl: vars.WXAMP_WEBHOOK_URL !== undefined,
      allowedHosts: vars.WXAMP_WEBHOOK_ALLOWED_HOSTS ?? null,
      retryForMs: vars.WXAMP_WEBHOOK_RETRY_FOR,
    },
    operatorUrl: vars.WXAMP_WEBHOOK_URL,
    secret,
  };
}
