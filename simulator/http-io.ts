// Reading requests and writing answers on node:http, kept apart so that the endpoint and control
// code work on plain strings and never touch a socket.
import { type IncomingMessage, type ServerResponse } from 'node:http';

/** The largest request body accepted; WeChat's link bodies are a few dozen bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Thrown by {@link readBody} when a body exceeds {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a complete answer with an exact Content-Length, so keep-alive clients know where it ends. */
export function send(res: ServerResponse, httpStatus: number, contentType: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(httpStatus, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, httpStatus: number, body: unknown): void {
  send(res, httpStatus, 'application/json; charset=utf-8', JSON.stringify(body));
}
