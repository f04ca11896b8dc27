import { Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link waitForDevServer}. */
export interface WaitForDevServerOptions {
  /** `host:port` of the server's gRPC frontend. */
  address: string;
  /** The namespace that must answer `DescribeNamespace`. */
  namespace: string;
  /** Custom search attributes that must be listed before the server counts as ready. */
  searchAttributeNames: readonly string[];
  /** Give up at this time (milliseconds since the epoch). */
  deadline: number;
  /** Stops the wait early, e.g. when the server process has exited. */
  signal: AbortSignal;
  /** How long to wait between checks. @default 250 ms */
  retryMs?: number;
}

/** Thrown by {@link waitForDevServer} when the deadline passes; says what the last check saw. */
export class DevServerNotReadyError extends Error {
  override readonly name = 'DevServerNotReadyError';

  constructor(readonly lastProblem: string) {
    super(`the server was still not ready (last check: ${lastProblem})`);
  }
}

/**
 * Waits until a Temporal server answers for `namespace` and lists every requested search
 * attribute.
 *
 * An open port is not enough: the dev server accepts connections before its namespace exists,
 * and registers search attributes a moment after it starts answering, so a worker started on
 * the first successful connect could upsert an attribute the server does not know yet.
 *
 * @throws {@link DevServerNotReadyError} at the deadline; the signal's reason when aborted
 */
export async function waitForDevServer(options: WaitForDevServerOptions): Promise<void> {
  const { address, namespace, searchAttributeNames, deadline, signal, retryMs = 250 } = options;
  let connection: Connection | undefined;
  let lastProblem = 'no answer yet';
  try {
    for (;;) {
      signal.throwIfAborted();
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new DevServerNotReadyError(lastProblem);
      // Each call gets at most 2 s so that one hung attempt cannot eat the whole start timeout.
      const attemptMs = Math.min(remaining, 2_000);
      try {
        connection ??= await connect(address, attemptMs);
        const conn = connection;
        await conn.withDeadline(Date.now() + attemptMs, () => conn.workflowService.describeNamespace({ namespace }));
        const { customAttributes } = await conn.withDeadline(Date.now() + attemptMs, () => conn.operatorService.listSearchAttributes({ namespace }));
        const missing = searchAttributeNames.filter((name) => !Object.hasOwn(customAttributes ?? {}, name));
        if (missing.length === 0) return;
        lastProblem = `search attributes not registered yet: ${missing.join(', ')}`;
      } catch (err) {
        lastProblem = err instanceof Error ? err.message : String(err);
      }
      await sleep(retryMs, undefined, { signal });
    }
  } finally {
    await connection?.close();
  }
}

/**
 * `Connection.connect`, except that a failed attempt closes its channel: `connect` leaves it
 * open, and a readiness loop makes many attempts.
 */
async function connect(address: string, timeoutMs: number): Promise<Connection> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    return connection;
  } catch (err) {
    await connection.close();
    throw err;
  }
}
