/**
 * The worker's health endpoint (`WXAMP_HEALTH_ADDRESS`), for an orchestrator's probes:
 * `/healthz` answers 200 while the process lives; `/readyz` answers 200 only while the worker
 * runs (state RUNNING, both pollers polling) and Temporal answers, and 503 while it starts,
 * drains after SIGTERM, or has lost the server. Each answer is a small JSON object saying why.
 */
import { createServer, type Server } from 'node:http';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { ConfigError } from './config-error';

/** What `/readyz` reports. */
export interface Readiness {
  ready: boolean;
  /** `starting`, `RUNNING`, `STOPPING`, `DRAINING`, `temporal unreachable: …`, … */
  state: string;
}

/** A running health endpoint. */
export interface HealthServer {
  /** `http://host:port`. */
  readonly url: string;
  /** From now on, readiness follows this worker and connection. */
  attach(worker: Worker, connection: NativeConnection): void;
  close(): Promise<void>;
}

/** How long a successful server check is trusted, and how long one may take. */
const CHECK_TTL_MS = 2_000;
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Listens on `address` (`host:port`). Until {@link HealthServer.attach}, `/readyz` says `starting`.
 * @throws {@link ConfigError} naming `WXAMP_HEALTH_ADDRESS` when the port cannot be had.
 */
export async function startHealthServer(address: string): Promise<HealthServer> {
  let readiness: () => Promise<Readiness> = () => Promise.resolve({ ready: false, state: 'starting' });
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const answer = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(body)}\n`);
    };
    if (path === '/healthz' || path === '/livez') return answer(200, { status: 'alive' });
    if (path !== '/readyz') return answer(404, { error: 'not found: try /healthz or /readyz' });
    readiness().then(
      ({ ready, state }) => answer(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', state }),
      (error: unknown) => answer(503, { status: 'not ready', state: error instanceof Error ? error.message : String(error) }),
    );
  });
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(separator + 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConfigError(`WXAMP_HEALTH_ADDRESS: cannot listen on ${address} (${error.code ?? error.message})`)),
    );
    server.listen(port, host, resolve);
  });
  const bound = server.address();
  const url =
    typeof bound === 'object' && bound ? `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : `http://${address}`;
  return {
    url,
    attach(worker, connection) {
      readiness = workerReadiness(worker, connection);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Ready while the worker runs, both pollers poll, and the server answered recently. */
export function workerReadiness(worker: Worker, connection: NativeConnection): () => Promise<Readiness> {
  let checkedAt = 0;
  let checking: Promise<void> | undefined;
  const checkServer = async (): Promise<void> => {
    if (Date.now() - checkedAt < CHECK_TTL_MS) return;
    // GetSystemInfo is what every SDK calls on connect: cheap, and allowed for any caller.
    checking ??= connection
      .withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({}))
      .then(() => {
        checkedAt = Date.now();
      })
      .finally(() => {
        checking = undefined;
      });
    await checking;
  };
  return async () => {
    const status = worker.getStatus();
    if (status.runState !== 'RUNNING') return { ready: false, state: status.runState };
    if (status.workflowPollerState !== 'POLLING' || status.activityPollerState !== 'POLLING') {
      return { ready: false, state: `pollers ${status.workflowPollerState}/${status.activityPollerState}` };
    }
    try {
      await checkServer();
    } catch (error) {
      return { ready: false, state: `temporal unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    return { ready: true, state: status.runState };
  };
}
