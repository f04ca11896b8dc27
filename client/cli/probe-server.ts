/**
 * What listens at an address the client could not connect to. The SDK only says "Failed to
 * connect before the deadline", whether nothing listens there or an HTTP server does (the Web UI's
 * port, typically); the two need different fixes, so after a failed connect one look tells them apart.
 */
import { connect } from 'node:net';

/** What answered an HTTP/2 greeting: nothing, an HTTP/1 server, an HTTP/2 (gRPC) server, or something else. */
export type ServerKind = 'nothing' | 'http1' | 'http2' | 'unknown';

/** The HTTP/2 client preface and an empty SETTINGS frame: what a gRPC client says first, in clear text. */
const HTTP2_GREETING = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);
const SETTINGS_FRAME_TYPE = 4;
/** How long to wait for the first bytes; an HTTP server answers the greeting at once. */
const PROBE_MS = 1_500;

/**
 * Greets `address` (`host:port`) as a gRPC client would and classifies the first answer: HTTP/1
 * servers answer with a status line (`HTTP/1.1 400 Bad Request`), HTTP/2 servers with a SETTINGS
 * frame. Never throws; `'unknown'` when the answer (or the silence) says nothing certain.
 */
export function probeServer(address: string): Promise<ServerKind> {
  const target = hostAndPort(address);
  if (target === null) return Promise.resolve('unknown');
  return new Promise((resolve) => {
    const socket = connect(target);
    const done = (kind: ServerKind) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(kind);
    };
    const timer = setTimeout(() => done('unknown'), PROBE_MS);
    socket.on('connect', () => socket.write(HTTP2_GREETING));
    socket.on('data', (data: Buffer) => {
      if (data.toString('latin1', 0, 5) === 'HTTP/') done('http1');
      else done(data.length >= 4 && data[3] === SETTINGS_FRAME_TYPE ? 'http2' : 'unknown');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'nothing' : 'unknown'));
    socket.on('close', () => done('unknown'));
  });
}

/** `host:port` or `[v6]:port`; `null` for anything else. */
function hostAndPort(address: string): { host: string; port: number } | null {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(address.trim());
  if (!match?.[1] || !match[2]) return null;
  return { host: match[1], port: Number(match[2]) };
}
