/** Builds the Temporal worker: workflows (bundled or from source) and activities on a task queue. */
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

/** Options of {@link createLinkWorker}. */
export interface LinkWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A pre-built workflow bundle (production, tests); without it the workflows are bundled now. */
  workflowBundlePath?: string;
  /** How long running activities get to finish on shutdown. */
  shutdownGraceMs?: number;
  /** Payload encryption (`dataConverterFromEnv` of client/payload-codec); clients must use the same. @default Temporal's (plain JSON) */
  dataConverter?: DataConverter;
  /** Anything else to pass to `Worker.create`. */
  extra?: Partial<WorkerOptions>;
}

/** Creates a worker that runs the wxamp-link workflows and activities. */
export function createLinkWorker(options: LinkWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({
      wechat: options.wechat,
      tokens: options.tokens,
      ...(options.policy && { policy: options.policy }),
      ...(options.webhook && { webhook: options.webhook }),
    }),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceTime: options.shutdownGraceMs }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...options.extra,
  });
}
