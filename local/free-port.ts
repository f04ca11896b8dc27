import { createServer } from 'node:net';

/**
 * Asks the operating system for a TCP port that is free right now on `host`.
 *
 * There is a short window between closing our listener and the caller binding the port in
 * which another process could take it; for local servers and tests that risk is accepted.
 *
 * @param host the address to bind; `@default '127.0.0.1'`
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      // With a TCP listener address() is always an object; a string only appears for pipes.
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close((closeErr) => {
        if (closeErr) reject(closeErr);
        else if (port === undefined) reject(new Error(`Could not read the port bound on ${host}`));
        else resolve(port);
      });
    });
  });
}

/**
 * Whether `port` on `host` can be bound right now. Used to fail fast with a clear message
 * instead of letting a server die on `EADDRINUSE` after it has started.
 *
 * Resolves `false` only for "address in use"; other errors (a bad host, no permission for a
 * port below 1024) reject, because picking another port would not fix them.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(false);
      else reject(err);
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
