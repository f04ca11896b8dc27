/**
 * `npm run worker`: the worker process. Configuration comes from the environment; SIGINT and
 * SIGTERM stop polling, let running activities finish within the grace period, then exit.
 */
import { existsSync } from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_WORKFLOW_BUNDLE } from './bundle-workflows';
import { WeChatClient } from '../activities';
import { ConfigError, loadWorkerConfig } from './config';
import { createLinkWorker } from './create-worker';
import { installRedactingLogger } from './redacting-logger';
import { configuredSecrets, tokenProviderFromConfig } from './token-provider-from-config';

/** Runs the worker until SIGINT or SIGTERM, configured from the environment. */
export async function runWorker(): Promise<void> {
  const config = loadWorkerConfig();
  // The bundle `npm run build` made, unless WXAMP_WORKFLOW_BUNDLE names another; bundling from
  // source at start is the fallback for development without a build.
  const workflowBundle = process.env.WXAMP_WORKFLOW_BUNDLE ?? (existsSync(DEFAULT_WORKFLOW_BUNDLE) ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  installRedactingLogger(configuredSecrets(config));
  const tokens = await tokenProviderFromConfig(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress }).catch(async (error: unknown) => {
    await tokens.close?.();
    throw new ConfigError(`Cannot reach Temporal at ${config.temporalAddress} (TEMPORAL_ADDRESS): ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const worker = await createLinkWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      wechat: new WeChatClient({ baseUrl: config.wechatApiBaseUrl, timeoutMs: config.httpTimeoutMs }),
      tokens,
      shutdownGraceMs: config.shutdownGraceMs,
      ...(workflowBundle && { workflowBundlePath: workflowBundle }),
    });
    console.log(`wxamp-link worker: workflows from ${workflowBundle ?? 'source (bundled at start)'}`);
    console.log(`wxamp-link worker: task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.namespace}), WeChat API ${config.wechatApiBaseUrl}`);
    // Temporal's runtime turns SIGINT/SIGTERM into a graceful worker.shutdown(); run() resolves then.
    await worker.run();
    console.log('wxamp-link worker: stopped');
  } finally {
    await connection.close();
    await tokens.close?.();
  }
}

/** Prints a configuration error as one line, anything else whole, and exits 1. */
export function exitOnWorkerError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`wxamp-link worker: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}

if (require.main === module) runWorker().catch(exitOnWorkerError);
