/**
 * The worker's configuration (DESIGN's table plus the additions docs/configuration.md lists),
 * made from the environment that environment.ts reads and checks. Every bad value is reported by
 * its variable's name, never with a secret.
 */
import type { OperatorPolicy } from '../common/operator-policy';
import type { TemporalConnectionConfig } from '../common/connection/connection-config';
import { ConfigError } from './config-error';
import { credentialsConfigOf, type CredentialsConfig } from './credentials-config';
import { readConnection, readWorkerEnvironment } from './environment';
import { operationsConfigOf, type OperationsConfig } from './operations-config';
import { payloadEncryptionOf, type WorkerPayloadEncryption } from './payload-encryption';
import { webhookConfigOf, type WebhookConfig } from './webhook-config';

/** The worker's settings. */
export interface WorkerConfig {
  namespace: string;
  taskQueue: string;
  wechatApiBaseUrl: string;
  /** `WECHAT_ACCESS_TOKEN`: one token for every account. */
  sharedAccessToken: string | undefined;
  /** `WECHAT_ACCESS_TOKENS`: official-account appid → token. */
  accessTokens: Map<string, string> | undefined;
  /** `WECHAT_TOKEN_URL`: the platform's token service. */
  tokenServiceUrl: string | undefined;
  /** `WECHAT_HTTP_TIMEOUT`: give up on one WeChat request after this long. */
  httpTimeoutMs: number;
  /** `WXAMP_SHUTDOWN_GRACE`: how long running activities get to finish on shutdown. */
  shutdownGraceMs: number;
  /** App secrets, the third-party platform, the credential store and the shared Redis cache. */
  credentials: CredentialsConfig;
  /** How to reach Temporal: envconfig profile + `TEMPORAL_*` (address, namespace, TLS, API key). */
  connection: TemporalConnectionConfig;
  /** Tuning, metrics, logs and the health endpoint (`WXAMP_*`, see operations-config.ts). */
  operations: OperationsConfig;
  /** `WXAMP_MIN_POLL_INTERVAL`, `WXAMP_ACCOUNT_REFUSAL_ANSWERS`, `WXAMP_ACCOUNT_REFUSAL_SPAN`: limits no starter can lift. */
  policy: OperatorPolicy;
  /** `WXAMP_WEBHOOK_*`: outcome notifications, or undefined when no secret is set. */
  webhook: WebhookConfig | undefined;
  /** `WXAMP_PAYLOAD_KEYS`: payload encryption, or undefined when the variable is unset. */
  encryption: WorkerPayloadEncryption | undefined;
  /** `WXAMP_WORKFLOW_BUNDLE`: the pre-built workflow bundle to load instead of the build's. */
  workflowBundle: string | undefined;
}

export { ConfigError };

/** Reads and checks the configuration. @throws {@link ConfigError} naming the variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const value = readWorkerEnvironment(env);
  const accessTokens = value.WECHAT_ACCESS_TOKENS;
  const credentials = credentialsConfigOf(value);
  const connection = readConnection(env);
  const operations = operationsConfigOf(value);
  const webhook = webhookConfigOf(value);
  if (!accessTokens && !value.WECHAT_ACCESS_TOKEN && !value.WECHAT_TOKEN_URL && !credentials.appSecrets && !credentials.component) {
    throw new ConfigError(
      'No access-token source: set WECHAT_ACCESS_TOKEN, WECHAT_ACCESS_TOKENS or WECHAT_TOKEN_URL, or credentials: WECHAT_APP_SECRETS(_FILE) or WECHAT_COMPONENT_APPID (see docs/credentials.md).',
    );
  }
  return {
    namespace: connection.namespace,
    taskQueue: value.WXAMP_TASK_QUEUE,
    wechatApiBaseUrl: value.WECHAT_API_BASE_URL,
    sharedAccessToken: value.WECHAT_ACCESS_TOKEN,
    accessTokens,
    tokenServiceUrl: value.WECHAT_TOKEN_URL,
    httpTimeoutMs: value.WECHAT_HTTP_TIMEOUT,
    shutdownGraceMs: value.WXAMP_SHUTDOWN_GRACE,
    credentials,
    connection,
    operations,
    policy: {
      minPollIntervalMs: value.WXAMP_MIN_POLL_INTERVAL,
      accountRefusal: { answers: value.WXAMP_ACCOUNT_REFUSAL_ANSWERS, spanMs: value.WXAMP_ACCOUNT_REFUSAL_SPAN },
      ...(webhook && { webhook: webhook.policy }),
    },
    webhook,
    encryption: payloadEncryptionOf(value.WXAMP_PAYLOAD_KEYS),
    workflowBundle: value.WXAMP_WORKFLOW_BUNDLE,
  };
}
