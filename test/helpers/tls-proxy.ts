/**
 * A TLS front for the dev server, which only speaks plaintext gRPC: it terminates TLS (mutual TLS
 * when asked: client certificates signed by the test CA only), negotiates HTTP/2 by ALPN as a
 * TLS-enabled Temporal frontend does, and forwards the decrypted bytes to the dev server. It
 * records the client certificate each connection presented.
 */
import { readFileSync } from 'node:fs';
import { connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

/** The test-only certificates in test/fixtures/tls (server name `wxamp-test.local`). */
export const TEST_TLS = {
  dir: join(__dirname, '..', 'fixtures', 'tls'),
  serverName: 'wxamp-test.local',
  file: (name: 'ca.pem' | 'client.pem' | 'client-key.pem' | 'server.pem' | 'server-key.pem'): string => join(__dirname, '..', 'fixtures', 'tls', name),
};

/** A running proxy. */
export interface TlsProxy {
  /** `127.0.0.1:port`. */
  address: string;
  /** The common name of each client certificate presented, in order ('' for none). */
  clients: string[];
  close(): Promise<void>;
}

/** Starts a TLS proxy in front of `upstream` (`host:port`). */
export async function startTlsProxy(upstream: string, options: { requireClientCertificate: boolean }): Promise<TlsProxy> {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const clients: string[] = [];
  const server = createServer(
    {
      key: readFileSync(TEST_TLS.file('server-key.pem')),
      cert: readFileSync(TEST_TLS.file('server.pem')),
      ca: readFileSync(TEST_TLS.file('ca.pem')),
      requestCert: options.requireClientCertificate,
      rejectUnauthorized: options.requireClientCertificate,
      ALPNProtocols: ['h2'],
    },
    (secure: TLSSocket) => {
      const peer = secure.getPeerCertificate();
      clients.push(typeof peer?.subject?.CN === 'string' ? peer.subject.CN : '');
      const plain = connectTcp(port, host);
      for (const socket of [secure, plain]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          secure.destroy();
          plain.destroy();
        });
      }
      secure.pipe(plain).pipe(secure);
    },
  );
  // A refused handshake (no or wrong client certificate) is what the test wants to see, not a crash.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    clients,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
