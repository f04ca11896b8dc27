/**
 * A workflow's side of webhooks: which receivers get its events (the operator's URL, the caller's
 * `notifyUrl`), the check of `notifyUrl` against the operator's settings before any WeChat call,
 * and one `deliverWebhook` child per event and receiver, abandoned to run on its own.
 *
 * Workflows recorded before webhooks read a policy without `webhook` and announce nothing, so
 * their histories replay unchanged.
 */
import { ParentClosePolicy, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import { hostAllowed, type OperatorPolicy } from '../../common/operator-policy';
import type { WebhookEvent, WebhookTarget } from '../../common/webhook-event';
import { webhookDeliveryWorkflowId } from '../contract';
import { invalidInputFailure } from '../support/input-or-fail';
import { InputValidationError, notifyUrlHost } from '../support/input-fields';
import { iso, nowMs } from '../support/workflow-clock';

/** Input of the `deliverWebhook` workflow. */
export interface DeliverWebhookInput {
  target: WebhookTarget;
  event: WebhookEvent;
  /** Give up (and fail, visibly) after this long without a 2xx. */
  retryForMs: number;
}

/** What a caller asked for. */
export interface WebhookRequest {
  notifyUrl: string | null;
  notifyTransitions: boolean;
}

/** An event's own fields: the notifier adds id, time and the workflow's ids. */
export type EventFields = Omit<WebhookEvent, 'id' | 'occurredAt' | 'workflowId' | 'runId'>;

/**
 * Fails with `InvalidInput` naming `notifyUrl` when the worker cannot honour it: it sends no
 * webhooks (no `WXAMP_WEBHOOK_SECRET`), or the host is not in `WXAMP_WEBHOOK_ALLOWED_HOSTS`.
 * Runs right after the policy is read, before any WeChat call.
 */
export function failUnlessNotifyUrlAllowed(request: WebhookRequest, policy: OperatorPolicy | null): void {
  if (request.notifyUrl === null || policy === null) return;
  const why =
    policy.webhook === undefined
      ? 'this worker sends no webhooks (its operator has not set WXAMP_WEBHOOK_SECRET)'
      : hostAllowed(notifyUrlHost(request.notifyUrl), policy.webhook.allowedHosts)
        ? null
        : `host ${notifyUrlHost(request.notifyUrl)} is not in the worker's WXAMP_WEBHOOK_ALLOWED_HOSTS`;
  if (why !== null) throw invalidInputFailure(new InputValidationError('notifyUrl', `notifyUrl: ${why}`));
}

/** Starts the deliveries of a workflow's events. */
export class WebhookNotifier {
  constructor(
    private readonly request: WebhookRequest,
    private readonly policy: () => OperatorPolicy | null | undefined,
  ) {}

  /** Whether status changes are announced too. */
  get wantsTransitions(): boolean {
    return this.request.notifyTransitions && this.targets().length > 0;
  }

  private targets(): WebhookTarget[] {
    const webhook = this.policy()?.webhook;
    if (webhook === undefined) return [];
    return [
      ...(webhook.operatorUrl ? [{ kind: 'operator' } as const] : []),
      ...(this.request.notifyUrl !== null ? [{ kind: 'caller', url: this.request.notifyUrl } as const] : []),
    ];
  }

  /**
   * Starts one `deliverWebhook` per receiver and returns once they are started (not delivered):
   * a receiver that is down holds nothing back.
   */
  async announce(fields: EventFields): Promise<void> {
    const targets = this.targets();
    const retryForMs = this.policy()?.webhook?.retryForMs;
    if (targets.length === 0 || retryForMs === undefined) return;
    const info = workflowInfo();
    // uuid4() is the workflow's deterministic random: the same id on replay, so the same child.
    const event: WebhookEvent = { id: uuid4(), occurredAt: iso(nowMs()), workflowId: info.workflowId, runId: info.firstExecutionRunId, ...fields };
    await Promise.all(
      targets.map((target) =>
        startChild('deliverWebhook', {
          workflowId: webhookDeliveryWorkflowId(event.id, target.kind),
          args: [{ target, event, retryForMs } satisfies DeliverWebhookInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `${event.type} of ${info.workflowId}`,
        }),
      ),
    );
  }
}
