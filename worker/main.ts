/**
 * `npm run worker`: the worker process. Configuration comes from the environment; SIGINT and
 * SIGTERM stop polling, let running activities finish within the grace period, then exit.
 */
import { existsSync } from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_WORKFLOW_BUNDLE } from './bundle-workflows';
import { WeChatClient } from '../activities';
import { redact } from '../activities/redact';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config';
import type { OperatorPolicy } from '../common/operator-policy';
import { createLinkWorker } from './create-worker';
import { connectionFailureMessage, describeConnection } from '../common/connection/connection-config';
import { startHealthServer } from './health-server';
import { describeTuning, workerTuningOptions } from './operations-config';
import { nodeOptionsOf } from './environment';
import { describeHeapGrowth, limitHeapGrowth } from './heap-growth';
import { describeMainThreadHeap, mainThreadHeapFlag } from './main-thread-heap';
import { describeWorkflowHeapLimit, limitWorkflowThreadHeap } from './workflow-heap';
import { installWorkerRuntime, workerLine } from './telemetry';
import { configuredSecrets, tokenProviderFromConfig } from './token-provider-from-config';

/** Runs the worker until SIGINT or SIGTERM, configured from the environment. */
export async function runWorker(): Promise<void> {
  const config = loadWorkerConfig();
  // The bundle `npm run build` made, unless WXAMP_WORKFLOW_BUNDLE names another; bundling from
  // source at start is the fallback for development without a build.
  const workflowBundle = config.workflowBundle ?? (existsSync(DEFAULT_WORKFLOW_BUNDLE) ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  const { operations, encryption } = config;
  const secrets = [...configuredSecrets(config), ...config.connection.secrets];
  // The worker's own lines quote configuration (the WeChat API URL): masked like every log line.
  const say = (line: string): void => workerLine(operations.logFormat, redact(line, secrets));
  installWorkerRuntime({
    secrets,
    logFormat: operations.logFormat,
    logLevel: operations.logLevel,
    metricsAddress: operations.metricsAddress,
  });
  // Up before connecting: /healthz answers at once, /readyz says "starting" until the worker runs.
  const health = operations.healthAddress === undefined ? undefined : await startHealthServer(operations.healthAddress);
  const tokens = await tokenProviderFromConfig(config);
  const connection = await NativeConnection.connect(config.connection.connectionOptions).catch(async (error: unknown) => {
    await tokens.close?.();
    await health?.close();
    throw new ConfigError(connectionFailureMessage(config.connection, error));
  });
  try {
    // Before Worker.create: the limit shapes the heap of the workflow thread it starts.
    limitWorkflowThreadHeap(operations.workflowHeapMb);
    const heapGrowth = limitHeapGrowth(operations.heapGrowingPercent, process.execArgv);
    const worker = await createLinkWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      wechat: new WeChatClient({ baseUrl: config.wechatApiBaseUrl, timeoutMs: config.httpTimeoutMs }),
      tokens,
      policy: config.policy,
      ...(config.webhook && { webhook: { operatorUrl: config.webhook.operatorUrl, secret: config.webhook.secret } }),
      shutdownGraceMs: config.shutdownGraceMs,
      ...(workflowBundle && { workflowBundlePath: workflowBundle }),
      ...(encryption && { dataConverter: encryption.dataConverter }),
      extra: workerTuningOptions(operations),
    });
    health?.attach(worker, connection);
    say(
      `wxamp-link worker: workflows from ${workflowBundle ?? 'source (bundled at start)'}; tuning: ${describeTuning(operations)}; ${describeWorkflowHeapLimit(operations.workflowHeapMb)}; ${describeHeapGrowth(heapGrowth)}`,
    );
    say(`wxamp-link worker: ${describeMainThreadHeap(mainThreadHeapFlag(process.execArgv, nodeOptionsOf()))}`);
    if (operations.metricsAddress) say(`wxamp-link worker: Prometheus metrics on http://${operations.metricsAddress}/metrics`);
    if (health) say(`wxamp-link worker: health on ${health.url}/healthz and ${health.url}/readyz`);
    if (encryption)
      say(`wxamp-link worker: payloads encrypted with key ${encryption.codec.encryptionKeyId} (decrypting ${encryption.codec.keyIds.join(', ')})`);
    say(`wxamp-link worker: ${describePolicy(config.policy)}`);
    say(`wxamp-link worker: ${describeWebhooks(config)}`);
    say(
      `wxamp-link worker: task queue "${config.taskQueue}" on ${describeConnection(config.connection)}, namespace ${config.namespace}, WeChat API ${config.wechatApiBaseUrl}`,
    );
    // Temporal's runtime turns SIGINT/SIGTERM into a graceful worker.shutdown(); run() resolves then.
    await worker.run();
    say('wxamp-link worker: stopped');
  } finally {
    await health?.close();
    await connection.close();
    await tokens.close?.();
  }
}

/** The operator's limits, in one line of the startup log. */
function describePolicy(policy: OperatorPolicy): string {
  const { answers, spanMs } = policy.accountRefusal;
  return `accounts polled at most every ${policy.minPollIntervalMs} ms (WXAMP_MIN_POLL_INTERVAL); an account-level refusal of wxamplinkget ends its waiters after ${answers} in a row over ${spanMs} ms`;
}

function describeWebhooks({ webhook }: WorkerConfig): string {
  if (webhook === undefined) return 'webhooks off (no WXAMP_WEBHOOK_SECRET)';
  const { allowedHosts, retryForMs } = webhook.policy;
  const operator = webhook.operatorUrl === undefined ? 'no operator URL' : `every event to ${webhook.operatorUrl}`;
  const callers = allowedHosts === null ? 'notifyUrl on any host' : `notifyUrl on ${allowedHosts.join(', ')}`;
  return `webhooks signed: ${operator}; ${callers}; each retried for ${retryForMs} ms`;
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
