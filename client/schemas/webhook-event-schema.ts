/**
 * zod schema of the webhook event (docs/webhooks.md), with a compile-time proof that it matches
 * `WebhookEvent` in common/webhook-event.ts. Open, like results: receivers must not break when the
 * contract adds a field.
 */
import { z } from 'zod';
import { WebhookEventType, type WebhookEvent } from '../../workflows/contract';
import { statusTransition } from './link-schemas';
import type { Assert, SameShape } from './same-shape';

/** The JSON body of every webhook request. */
export const webhookEventSchema = z
  .object({
    id: z.string().meta({ description: 'The same at every delivery attempt and for every receiver: de-duplicate on it.' }),
    type: z.enum(WebhookEventType),
    occurredAt: z.string().meta({ description: 'ISO-8601 time the workflow recorded the event.' }),
    workflowId: z.string(),
    runId: z.string().meta({ description: "The workflow's first run (a link that continued as new keeps it)." }),
    pair: z.object({ officialAccountAppId: z.string(), miniProgramAppId: z.string() }).nullable(),
    outcome: z.string().nullable(),
    status: z.number().nullable(),
    errcode: z.number().nullable(),
    transitions: z.array(statusTransition),
    counts: z.object({ total: z.number(), finished: z.number(), skipped: z.number(), byOutcome: z.record(z.string(), z.number()) }).optional(),
  })
  .meta({ title: 'webhook event', description: 'What wxamp-link POSTs to a webhook receiver (docs/webhooks.md).' });
type _WebhookEvent = Assert<SameShape<z.output<typeof webhookEventSchema>, WebhookEvent>>;
