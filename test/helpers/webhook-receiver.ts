/**
 * A real HTTP receiver of webhook events for the tests: it records every request, checks each with
 * the documented check (`verifyWebhookSignature` of the client library) and answers as the test
 * says — 204 when the signature is good, 401 when not, 503 while told to fail, nothing at all
 * while down (the port closed).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, WebhookHeader, type WebhookEvent } from '../../client';

/** One request the receiver got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the documented check accepted it. */
  genuine: boolean;
  /** What the receiver answered. */
  answered: number;
}

/** A running receiver. */
export interface WebhookReceiver {
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  /** The events accepted (2xx), de-duplicated by id as a receiver should. */
  events(): WebhookEvent[];
  /** Answer 503 to the next `count` requests. */
  failNext(count: number): void;
  /** Close the port: attempts meet a refused connection. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver that checks signatures with `secret`. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let failures = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => request.headers[name] as string | undefined;
      const genuine = verifyWebhookSignature({ body, timestamp: header(WebhookHeader.Timestamp), signature: header(WebhookHeader.Signature) }, secret);
      const answered = failures > 0 ? 503 : genuine ? 204 : 401;
      if (failures > 0) failures--;
      requests.push({ headers: request.headers, body, genuine, answered });
      response.writeHead(answered).end();
    });
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}/wxamp-events`,
    requests,
    events() {
      const byId = new Map<string, WebhookEvent>();
      for (const request of requests) {
        if (request.answered >= 300) continue;
        const event = JSON.parse(request.body) as WebhookEvent;
        byId.set(event.id, event);
      }
      return [...byId.values()];
    },
    failNext(count) {
      failures = count;
    },
    down: stop,
    up: () => listen(port),
    close: stop,
  };
}
