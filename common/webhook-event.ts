/**
 * What a receiver of wxamp-link's webhooks gets: the event's shape, its types and the headers that
 * carry its id, time and signature (docs/webhooks.md). The workflows build the events, an activity
 * signs and posts them, the client library checks their signatures: one definition for all three.
 *
 * Imported by workflow code: no Node built-ins, no I/O.
 */

/** What happened. */
export const WebhookEventType = {
  /** A `linkMiniProgram` workflow ended with an outcome. */
  LinkFinished: 'link.finished',
  /** An `unlinkMiniProgram` workflow ended with an outcome. */
  UnlinkFinished: 'unlink.finished',
  /** A link or unlink saw its entry take a new status (only with `notifyTransitions: true`). */
  StatusChanged: 'pair.status_changed',
  /** A `linkCampaign` ended: every pair accounted for. */
  CampaignFinished: 'campaign.finished',
} as const;
export type WebhookEventType = (typeof WebhookEventType)[keyof typeof WebhookEventType];

/** One status seen, in order (the same shape as a result's `transitions`). */
export interface WebhookTransition {
  status: number;
  /** ISO-8601 time of the poll that first showed this status. */
  at: string;
}

/** The JSON body of every webhook request. */
export interface WebhookEvent {
  /** Stable across delivery attempts: receivers de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  /** ISO-8601 time the workflow recorded the event. */
  occurredAt: string;
  /** The workflow the event is about, and its first run (a link that continued as new keeps it). */
  workflowId: string;
  runId: string;
  /** The pair, or `null` for a campaign's event. */
  pair: { officialAccountAppId: string; miniProgramAppId: string } | null;
  /** The outcome (`linked`, `unlinked`, …); `null` for a status change. For a campaign: `finished` or `cancelled`. */
  outcome: string | null;
  /** The entry's status in `wxamplinkget` (1 linked, 2 waiting, 3 refused, 12 pending the account admin), if ever seen. */
  status: number | null;
  /** WeChat's errcode for a `refused` outcome, else `null`. */
  errcode: number | null;
  /** Every status seen so far, in order (empty for a campaign). */
  transitions: WebhookTransition[];
  /** A campaign's counts (only in `campaign.finished`): pairs, how many ended or were skipped, and per outcome. */
  counts?: { total: number; finished: number; skipped: number; byOutcome: Record<string, number> };
}

/** The request headers (lower-case, as Node's `http` presents them). */
export const WebhookHeader = {
  /** The event's {@link WebhookEvent.id}. */
  EventId: 'x-wxamp-event-id',
  /** The event's {@link WebhookEvent.type}. */
  EventType: 'x-wxamp-event-type',
  /** Unix time in seconds when this attempt was signed; part of what is signed. */
  Timestamp: 'x-wxamp-timestamp',
  /** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` with `WXAMP_WEBHOOK_SECRET`. */
  Signature: 'x-wxamp-signature',
} as const;

/** Who receives an event: the operator's `WXAMP_WEBHOOK_URL`, or the `notifyUrl` a caller gave. */
export type WebhookTarget = { kind: 'operator' } | { kind: 'caller'; url: string };
