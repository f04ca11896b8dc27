/** Connecting backend code to Temporal with the same environment variables as the worker. */
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../workflows/contract';
import { WxampLinkClient } from './link-client';

/** Connection settings; each defaults to the worker's environment variable. */
export interface ConnectOptions {
  /** @default process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' */
  address?: string;
  /** @default process.env.TEMPORAL_NAMESPACE ?? 'default' */
  namespace?: string;
  /** @default process.env.WXAMP_TASK_QUEUE ?? 'wxamp-link' */
  taskQueue?: string;
}

/** Connects to Temporal and returns a {@link WxampLinkClient}; close it with `connection.close()`. */
export async function connectLinkClient(options: ConnectOptions = {}): Promise<{ links: WxampLinkClient; connection: Connection }> {
  const address = options.address ?? process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const namespace = options.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = options.taskQueue ?? process.env.WXAMP_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  const connection = await Connection.connect({ address }).catch((error: unknown) => {
    throw new Error(`Cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS): ${error instanceof Error ? error.message : String(error)}`);
  });
  return { links: new WxampLinkClient({ client: new Client({ connection, namespace }), taskQueue }), connection };
}
