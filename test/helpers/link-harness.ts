/**
 * Per test file: a real WeChat simulator (HTTP, in this process), a real Temporal worker on its
 * own task queue against the dev server of global-setup, and the client library. Each test gets
 * its own official account and mini program, so tests never see each other's state.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { StaticTokenProvider, WeChatClient, type AccessTokenProvider } from '../../activities';
import { WxampLinkClient } from '../../client';
import { startWeChatSimulator, type TokenPolicy, type WeChatSimulator } from '../../simulator';
import { createLinkWorker } from '../../worker/create-worker';
import type { OperatorPolicy } from '../../workflows/support/operator-policy';
import { TEST_POLICY } from './test-policy';
import { testNamespace } from './test-namespace';

/** Time scaled down for tests: polls every 100 ms, backing off to 400 ms. */
export const FAST = { pollInterval: '100ms', maxPollInterval: '400ms', timeout: '30s' } as const;

/** What a test file works with. */
export interface LinkHarness {
  simulator: WeChatSimulator;
  client: Client;
  links: WxampLinkClient;
  taskQueue: string;
  /** Tokens the worker uses, by official account; tests may replace one while the worker runs. */
  tokens: Map<string, string>;
  /** Every log line the worker and its activities wrote so far (JSON). */
  logs: readonly string[];
  /** A fresh official account registered in the simulator, its token known to the worker. */
  newAccount(options?: { includeAppId?: boolean }): string;
  /** A fresh mini-program appid. */
  newMiniProgram(): string;
  close(): Promise<void>;
}

let runtimeInstalled = false;
/** Every log line of the worker and its activities in this test file, as JSON. */
const workerLogs: string[] = [];

/** `policy` with the `webhook` part the worker's configuration would derive from `webhook`. */
function withWebhook(policy: OperatorPolicy, webhook: { operatorUrl?: string; allowedHosts?: string[]; retryForMs?: number } | undefined): OperatorPolicy {
  if (webhook === undefined) return policy;
  return {
    ...policy,
    webhook: { operatorUrl: webhook.operatorUrl !== undefined, allowedHosts: webhook.allowedHosts ?? null, retryForMs: webhook.retryForMs ?? 10 * 60_000 },
  };
}

/** Starts the simulator and a worker for one test file. */
export async function startLinkHarness(
  options: {
    httpTimeoutMs?: number;
    /** The worker's token source, built once the simulator's URL is known; default: static tokens of {@link LinkHarness.tokens}. */
    tokenProvider?: (simulator: WeChatSimulator) => AccessTokenProvider;
    /** Lifetimes of the tokens the simulator's token endpoints issue. */
    tokenPolicy?: Partial<TokenPolicy>;
    /** The worker's operator policy. @default TEST_POLICY (scaled down like the tests' intervals) */
    policy?: OperatorPolicy;
    /** Webhooks, as `WXAMP_WEBHOOK_*` would set them (the policy gets their `webhook` part). @default none */
    webhook?: { secret: string; operatorUrl?: string; allowedHosts?: string[]; retryForMs?: number };
  } = {},
): Promise<LinkHarness> {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  const bundlePath = process.env.WXAMP_TEST_WORKFLOW_BUNDLE;
  if (!address || !bundlePath) throw new Error('TEMPORAL_TEST_ADDRESS / WXAMP_TEST_WORKFLOW_BUNDLE are unset: run the tests with `npm test`');
  if (!runtimeInstalled) {
    // Logs are kept for the tests (the token-secrecy test reads them); only errors are printed.
    Runtime.install({
      logger: new DefaultLogger('DEBUG', (entry) => {
        workerLogs.push(JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
        if (entry.level === 'ERROR') console.error(entry.message, entry.meta);
      }),
    });
    runtimeInstalled = true;
  }

  const simulator = await startWeChatSimulator(options.tokenPolicy ? { tokenPolicy: options.tokenPolicy } : {});
  const tokens = new Map<string, string>();
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const namespace = testNamespace();
  const client = new Client({ connection, namespace });
  const worker: Worker = await createLinkWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundlePath: bundlePath,
    wechat: new WeChatClient({ baseUrl: simulator.baseUrl, timeoutMs: options.httpTimeoutMs ?? 2_000 }),
    tokens: options.tokenProvider ? options.tokenProvider(simulator) : new StaticTokenProvider({ perAccount: tokens }),
    shutdownGraceMs: 1_000,
    policy: withWebhook(options.policy ?? TEST_POLICY, options.webhook),
    ...(options.webhook && { webhook: { secret: options.webhook.secret, operatorUrl: options.webhook.operatorUrl, timeoutMs: 2_000 } }),
  });
  const running = worker.run();

  return {
    simulator,
    client,
    links: new WxampLinkClient({ client, taskQueue }),
    taskQueue,
    tokens,
    logs: workerLogs,
    newAccount({ includeAppId = true } = {}) {
      const appId = `wxoa${randomBytes(8).toString('hex')}`;
      const account = simulator.registerAccount({ appId, includeAppId });
      tokens.set(appId, account.accessToken);
      return appId;
    },
    newMiniProgram() {
      return `wxmp${randomBytes(8).toString('hex')}`;
    },
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await simulator.close();
    },
  };
}
