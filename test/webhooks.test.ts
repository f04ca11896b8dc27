/**
 * Outcome webhooks against real HTTP receivers started here: every link, unlink and campaign posts
 * its outcome (and, when asked, each status change) to the operator's URL and to the caller's
 * `notifyUrl`, signed so that the documented check accepts it; a receiver that is down or failing
 * holds nothing back and still gets the event, with the same id, once it answers; a caller's URL
 * the worker would refuse fails the start before any WeChat call; the secret reaches no history
 * and no log line.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { verifyWebhookSignature, WebhookHeader, type WebhookEvent } from '../client';
import { approvingPair } from './helpers/approving-pair';
import { confirmedPairs } from './helpers/campaign-pairs';
import { historyText } from './helpers/history-text';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';
import { waitFor } from './helpers/wait';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';

const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
let h: LinkHarness;
/** The operator's receiver (`WXAMP_WEBHOOK_URL`): gets every event. */
let operator: WebhookReceiver;
/** A caller's receiver (`notifyUrl`). */
let caller: WebhookReceiver;

beforeAll(async () => {
  operator = await startWebhookReceiver(SECRET);
  caller = await startWebhookReceiver(SECRET);
  h = await startLinkHarness({ webhook: { secret: SECRET, operatorUrl: operator.url, allowedHosts: ['127.0.0.1'], retryForMs: 5 * 60_000 } });
});
afterAll(async () => {
  await h?.close();
  await operator?.close();
  await caller?.close();
});

/** The events a receiver accepted about one workflow, in the order they were posted. */
const eventsOf = (receiver: WebhookReceiver, workflowId: string): WebhookEvent[] => receiver.events().filter((event) => event.workflowId === workflowId);

describe('webhooks: what is posted', () => {
  it('a link posts link.finished, signed, to the operator and to its notifyUrl, with the same event', async () => {
    const { oa, mp } = approvingPair(h);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url });
    const result = await handle.result();
    expect(result.outcome).toBe('linked');
    await waitFor(() => eventsOf(operator, handle.workflowId).length === 1 && eventsOf(caller, handle.workflowId).length === 1, 'both deliveries');
    const [event] = eventsOf(caller, handle.workflowId);
    expect(event).toEqual({
      id: expect.any(String),
      type: 'link.finished',
      occurredAt: expect.any(String),
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      pair: { officialAccountAppId: oa, miniProgramAppId: mp },
      outcome: 'linked',
      status: 1,
      errcode: null,
      transitions: result.transitions,
    });
    expect(eventsOf(operator, handle.workflowId)).toEqual([event]);
    const requests = [...operator.requests, ...caller.requests].filter((request) => request.headers[WebhookHeader.EventId] === event?.id);
    expect(requests.map((request) => [request.genuine, request.headers[WebhookHeader.EventType], request.headers['content-type']])).toEqual([
      [true, 'link.finished', 'application/json'],
      [true, 'link.finished', 'application/json'],
    ]);
  });

  it('notifyTransitions posts each status change in order, then the outcome', async () => {
    const { oa, mp } = approvingPair(h);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url, notifyTransitions: true });
    const result = await handle.result();
    const statuses = result.transitions.map((transition) => transition.status);
    expect(statuses).toEqual([12, 2, 1]);
    await waitFor(() => eventsOf(caller, handle.workflowId).length === statuses.length + 1, 'every event');
    const events = eventsOf(caller, handle.workflowId);
    expect(events.map((event) => [event.type, event.status])).toEqual([
      ['pair.status_changed', 12],
      ['pair.status_changed', 2],
      ['pair.status_changed', 1],
      ['link.finished', 1],
    ]);
    expect(events[1]?.transitions).toEqual(result.transitions.slice(0, 2));
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
  });

  it('a link without notifyUrl posts to the operator only; a refusal carries its errcode', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.configureMiniProgram(mp, { linkErrcode: 89013 });
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    expect((await handle.result()).outcome).toBe('refused');
    await waitFor(() => eventsOf(operator, handle.workflowId).length === 1, 'the operator delivery');
    expect(eventsOf(operator, handle.workflowId)[0]).toMatchObject({ type: 'link.finished', outcome: 'refused', errcode: 89013, status: null });
    expect(eventsOf(caller, handle.workflowId)).toEqual([]);
  });

  it('a cancelled link posts link.finished with the outcome cancelled', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url });
    await waitFor(() => h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the send');
    await h.links.cancel(oa, mp);
    await waitFor(() => eventsOf(caller, handle.workflowId).length === 1, 'the delivery');
    expect(eventsOf(caller, handle.workflowId)[0]).toMatchObject({ type: 'link.finished', outcome: 'cancelled', errcode: null });
  });

  it('an unlink posts unlink.finished', async () => {
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.seedEntry(oa, mp, { status: 1 });
    h.simulator.scriptUnlink(oa, mp, { afterPolls: 1 });
    const handle = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url });
    expect((await handle.result()).outcome).toBe('unlinked');
    await waitFor(() => eventsOf(caller, handle.workflowId).length === 1, 'the delivery');
    expect(eventsOf(caller, handle.workflowId)[0]).toMatchObject({
      type: 'unlink.finished',
      outcome: 'unlinked',
      pair: { officialAccountAppId: oa, miniProgramAppId: mp },
    });
  });

  it('a campaign posts campaign.finished with its counts, and each of its links posts to the same notifyUrl', async () => {
    const pairs = confirmedPairs(h, 1, 3);
    const campaign = await h.links.campaign({ pairs, ...FAST, followInterval: '500ms', notifyUrl: caller.url });
    const result = await campaign.result();
    expect(result.counts.byOutcome).toEqual({ linked: 3 });
    await waitFor(() => eventsOf(caller, campaign.campaignId).length === 1, 'the campaign event');
    expect(eventsOf(caller, campaign.campaignId)[0]).toMatchObject({
      type: 'campaign.finished',
      outcome: 'finished',
      pair: null,
      counts: { total: 3, finished: 3, skipped: 0, byOutcome: { linked: 3 } },
    });
    const linkEvents = caller
      .events()
      .filter((event) => event.type === 'link.finished' && pairs.some((pair) => pair.miniProgramAppId === event.pair?.miniProgramAppId));
    expect(linkEvents.map((event) => event.outcome)).toEqual(['linked', 'linked', 'linked']);
  });
});

describe('webhooks: delivery', () => {
  it('a receiver that is down holds nothing back, and gets the event once it is up again', async () => {
    const down = await startWebhookReceiver(SECRET);
    await down.down();
    try {
      const { oa, mp } = approvingPair(h);
      const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: down.url });
      expect((await handle.result()).outcome).toBe('linked');
      // The link ended; its delivery goes on as a workflow of its own.
      await waitFor(async () => {
        for await (const execution of h.client.workflow.list({ query: `WorkflowType = 'deliverWebhook' AND ExecutionStatus = 'Running'` })) {
          if (execution.workflowId.endsWith('/caller')) return true;
        }
        return false;
      }, 'the delivery, still retrying');
      expect(eventsOf(down, handle.workflowId)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await down.up();
      await waitFor(() => eventsOf(down, handle.workflowId).length === 1, 'the delivery after the receiver came back', 30_000);
      expect(down.requests.every((request) => request.genuine)).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('a receiver answering 503 gets the same event id at every attempt until it takes it', async () => {
    const { oa, mp } = approvingPair(h);
    caller.failNext(2);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url });
    await handle.result();
    await waitFor(() => eventsOf(caller, handle.workflowId).length === 1, 'the delivery', 30_000);
    const id = eventsOf(caller, handle.workflowId)[0]?.id;
    const attempts = caller.requests.filter((request) => request.headers[WebhookHeader.EventId] === id);
    expect(attempts.map((request) => request.answered)).toEqual([503, 503, 204]);
  });

  it('a receiver with another secret rejects every attempt by the documented check, and the delivery keeps retrying', async () => {
    const wrong = await startWebhookReceiver('not-the-secret-0123456789');
    try {
      const { oa, mp } = approvingPair(h);
      const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: wrong.url });
      expect((await handle.result()).outcome).toBe('linked');
      await waitFor(() => wrong.requests.length >= 2, 'two attempts', 30_000);
      expect(wrong.requests.map((request) => [request.genuine, request.answered]).slice(0, 2)).toEqual([
        [false, 401],
        [false, 401],
      ]);
      const [first] = wrong.requests;
      // The same request passes the check with the right secret: only the secret was wrong.
      const signed = {
        body: first?.body ?? '',
        timestamp: first?.headers[WebhookHeader.Timestamp] as string,
        signature: first?.headers[WebhookHeader.Signature] as string,
      };
      expect(verifyWebhookSignature(signed, SECRET)).toBe(true);
      expect(verifyWebhookSignature({ ...signed, body: signed.body.replace('linked', 'refused') }, SECRET)).toBe(false);
    } finally {
      await wrong.close();
    }
  });

  it('the secret reaches no history (link or delivery) and no log line', async () => {
    const { oa, mp } = approvingPair(h);
    const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, notifyUrl: caller.url });
    await handle.result();
    await waitFor(() => eventsOf(caller, handle.workflowId).length === 1, 'the delivery');
    const eventId = eventsOf(caller, handle.workflowId)[0]?.id ?? '';
    const texts = [
      await historyText(h.client, handle.workflowId),
      await historyText(h.client, `wxamp-webhook/${eventId}/caller`),
      await historyText(h.client, `wxamp-webhook/${eventId}/operator`),
    ];
    expect(texts[1]).toContain(eventId);
    for (const text of texts) expect(text).not.toContain(SECRET);
    expect(h.logs.some((line) => line.includes(SECRET))).toBe(false);
  });
});

describe('webhooks: notifyUrl the worker refuses', () => {
  it('a host outside WXAMP_WEBHOOK_ALLOWED_HOSTS fails the link with InvalidInput naming notifyUrl, before any WeChat call', async () => {
    const oa = h.newAccount();
    const handle = await h.links.link({
      officialAccountAppId: oa,
      miniProgramAppId: h.newMiniProgram(),
      ...FAST,
      notifyUrl: 'https://elsewhere.example.com/events',
    });
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.message).toContain('notifyUrl: host elsewhere.example.com is not in');
    expect(h.simulator.countCalls({ accountAppId: oa })).toBe(0);
  });

  it('a campaign with such a notifyUrl fails before starting any link', async () => {
    const pairs = confirmedPairs(h, 1, 2);
    const campaign = await h.links.campaign({ pairs, ...FAST, notifyUrl: 'https://elsewhere.example.com/events' });
    const error = await campaign.result().catch((e: unknown) => e);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe('InvalidInput');
    expect(h.simulator.countCalls({ accountAppId: pairs[0]?.officialAccountAppId ?? '' })).toBe(0);
  });
});
