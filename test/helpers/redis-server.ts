/**
 * A real `redis-server` for one test file, on a free port, without persistence; stopped by
 * `stop()`. When redis-server is not installed the tests that need it fail with a message that
 * says how to get it (`.ci/run` installs Debian's package when it is missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { findFreePort } from '../../local/free-port';
import { waitFor } from './wait';

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** A new client connection (closed by the caller). */
  client(): Redis;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error('redis-server is not installed: `apt-get install -y redis-server` (Debian package; .ci/run installs it when missing)');
  }
  const port = await findFreePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await waitFor(
      async () => {
        if (exitedEarly) throw new Error(`redis-server exited at start:\n${output}`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      `redis-server on port ${port} to answer`,
      15_000,
    );
  } finally {
    probe.disconnect();
  }
  return {
    url,
    port,
    client: () => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      return client;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
