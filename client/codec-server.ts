/**
 * `npm run codec-server`: Temporal's remote codec endpoint, so that operators see decrypted
 * payloads in the Web UI (and `temporal workflow show --codec-endpoint`) while the server keeps
 * ciphertext. POST /encode and /decode take and return `{"payloads": [{"metadata": {k: base64},
 * "data": base64}]}`; both also answer under a namespace segment (`/<namespace>/decode`).
 *
 * Anyone who can reach /decode can read every payload, so it binds 127.0.0.1 by default and
 * answers browsers only from the listed Web UI origins.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError, payloadCodecFromEnv, type PayloadEncryptionCodec } from '../common/connection/payload-codec';
import { PAYLOAD_KEYS_VARIABLE, PayloadKeysError } from '../common/connection/payload-keys';

/** `WXAMP_CODEC_PORT`'s default. */
export const DEFAULT_CODEC_PORT = 8888;
/** `WXAMP_CODEC_CORS_ORIGINS`' default: the local Web UI under both names a browser may use. */
export const DEFAULT_CODEC_CORS_ORIGINS: readonly string[] = ['http://localhost:8233', 'http://127.0.0.1:8233'];
/** What the Web UI sends: the body's type, the namespace, and the user's token when it passes one on. */
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const ROUTE = /^(?:\/[^/]+)?\/(encode|decode)$/;

/** Options of {@link startCodecServer}. */
export interface CodecServerOptions {
  /** The codec, e.g. {@link payloadCodecFromEnv}. */
  codec: PayloadCodec;
  /** The port; 0 picks a free one. @default 8888 */
  port?: number;
  /** The address to bind. @default '127.0.0.1' */
  host?: string;
  /** Browser origins allowed to call (the Web UI's). @default {@link DEFAULT_CODEC_CORS_ORIGINS} */
  corsOrigins?: readonly string[];
  /** Receives a line per failed request. @default console.error */
  log?: (line: string) => void;
}

/** A running codec server, from {@link startCodecServer}. */
export interface CodecServer {
  /** `http://host:port`: the endpoint to give the Web UI. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** A bad setting of the codec server; the message names the variable. */
export class CodecServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecServerConfigError';
  }
}

const jsonPayload = z.object({
  metadata: z.record(z.string(), z.base64()).nullish(),
  data: z.base64().nullish(),
});
const requestBody = z.object({ payloads: z.array(jsonPayload) });
type JsonPayload = z.infer<typeof jsonPayload>;

/** A request that cannot be served, with the status to answer. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the codec endpoint; resolves once it listens. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const origins = new Set(options.corsOrigins ?? DEFAULT_CODEC_CORS_ORIGINS);
  const log = options.log ?? ((line: string) => console.error(line));
  const server = createServer((request, response) => {
    handle(request, response, options.codec, origins).catch((error: unknown) => {
      // A payload this server has no key for is the caller's problem (422), and says which key.
      const status = error instanceof HttpError ? error.status : error instanceof PayloadDecryptionError ? 422 : 500;
      const message = status < 500 && error instanceof Error ? error.message : 'internal error';
      if (status >= 500) log(`codec server: ${request.method ?? ''} ${request.url ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, status, { error: message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_CODEC_PORT, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, codec: PayloadCodec, origins: ReadonlySet<string>): Promise<void> {
  // Not new URL(): '//decode' (the Temporal CLI's '{namespace}/decode' with no namespace) would parse as a host.
  const path = (request.url ?? '/')
    .replace(/[?#].*$/, '')
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/$/, '$1');
  const route = ROUTE.exec(path)?.[1];
  if (route === undefined) throw new HttpError(404, 'not found: POST /encode or /decode');
  const origin = request.headers.origin;
  if (origin !== undefined) {
    // A page from any other origin must not get payloads decrypted: refuse outright.
    if (!origins.has(origin)) throw new HttpError(403, `origin ${origin} is not allowed: add it to WXAMP_CODEC_CORS_ORIGINS`);
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Vary', 'Origin');
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    });
    response.end();
    return;
  }
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST, OPTIONS');
    throw new HttpError(405, `use POST ${path}`);
  }
  const body = requestBody.safeParse(parseJson(await readBody(request)));
  if (!body.success) throw new HttpError(400, 'the body must be {"payloads": [{"metadata": {"key": "<base64>"}, "data": "<base64>"}]}');
  const payloads = body.data.payloads.map(fromJson);
  const result = route === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
  sendJson(response, 200, { payloads: result.map(toJson) });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    ...(data && { data: Buffer.from(data, 'base64') }),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    ...(data && data.length > 0 && { data: Buffer.from(data).toString('base64') }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The codec server's settings from the environment. @throws {@link PayloadKeysError} or {@link CodecServerConfigError} naming the variable. */
export function codecServerOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): CodecServerOptions & { codec: PayloadEncryptionCodec; port: number; host: string; corsOrigins: readonly string[] } {
  const codec = payloadCodecFromEnv(env);
  if (!codec) throw new CodecServerConfigError(`${PAYLOAD_KEYS_VARIABLE} is not set: give the codec server the worker's payload keys`);
  const portText = env.WXAMP_CODEC_PORT?.trim() || String(DEFAULT_CODEC_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535) throw new CodecServerConfigError('WXAMP_CODEC_PORT: must be a port number from 1 to 65535');
  const host = env.WXAMP_CODEC_HOST?.trim() || '127.0.0.1';
  const originsText = env.WXAMP_CODEC_CORS_ORIGINS?.trim();
  const corsOrigins = originsText ? originsText.split(',').map((entry, index) => parseOrigin(entry.trim(), index)) : DEFAULT_CODEC_CORS_ORIGINS;
  return { codec, port, host, corsOrigins };
}

function parseOrigin(text: string, index: number): string {
  const problem = `WXAMP_CODEC_CORS_ORIGINS: entry ${index + 1} must be a Web UI origin such as http://localhost:8233 (scheme, host and port; no path, no '*')`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CodecServerConfigError(problem);
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new CodecServerConfigError(problem);
  }
  return url.origin;
}

async function main(): Promise<void> {
  const options = codecServerOptionsFromEnv();
  const server = await startCodecServer(options).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CodecServerConfigError(`port ${options.port} is taken: choose another with WXAMP_CODEC_PORT`);
    }
    throw error;
  });
  const { encryptionKeyId, keyIds } = options.codec;
  console.log(`wxamp codec server: ${server.url} (POST /encode, /decode) for the Web UI at ${options.corsOrigins.join(', ')}`);
  console.log(`  encrypting with key ${encryptionKeyId}; decrypting with ${keyIds.join(', ')}`);
  console.log(`  In the Web UI, set the codec endpoint to ${server.url}; or start the dev server with --ui-codec-endpoint ${server.url}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`wxamp codec server: ${signal}, stopping`);
  await server.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const oneLine = error instanceof PayloadKeysError || error instanceof CodecServerConfigError;
    console.error(oneLine ? `wxamp codec server: ${error.message}` : error);
    process.exit(1);
  });
}
