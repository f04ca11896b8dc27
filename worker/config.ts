/**
 * The worker's configuration, read from the environment (DESIGN's table plus the additions the
 * README documents). Every bad value is reported by its variable's name, never with a secret.
 */
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../workflows/contract';
import { durationSchema } from '../client/input-schemas';
import { ConfigError } from './config-error';
import { loadCredentialsConfig, type CredentialsConfig } from './credentials-config';
import { ConnectionConfigError, loadConnectionConfig, type TemporalConnectionConfig } from '../client/connection-config';
import { loadOperationsConfig, type OperationsConfig } from './operations-config';
import type { OperatorPolicy } from '../workflows/operator-policy';
import { DEFAULT_OPERATOR_POLICY } from '../workflows/operator-policy';

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
}

export { ConfigError };

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** An optional duration variable ('10s', '500ms' or milliseconds), with its default. */
const envDuration = (defaultMs: number) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return defaultMs;
    const parsed = durationSchema.safeParse(/^\d+$/.test(value) ? Number(value) : value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'must be a duration' });
    return z.NEVER;
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const envSchema = z.object({
  WXAMP_TASK_QUEUE: optionalText.pipe(z.string().default(DEFAULT_TASK_QUEUE)),
  WECHAT_API_BASE_URL: optionalText.pipe(httpUrl.default('https://api.weixin.qq.com')),
  WECHAT_ACCESS_TOKEN: optionalText,
  WECHAT_ACCESS_TOKENS: optionalText,
  WECHAT_TOKEN_URL: optionalText.pipe(httpUrl.optional()),
  WECHAT_HTTP_TIMEOUT: envDuration(10_000),
  WXAMP_SHUTDOWN_GRACE: envDuration(10_000),
  WXAMP_MIN_POLL_INTERVAL: envDuration(DEFAULT_OPERATOR_POLICY.minPollIntervalMs),
  WXAMP_ACCOUNT_REFUSAL_ANSWERS: optionalText.transform((value, ctx) => {
    if (value === undefined) return DEFAULT_OPERATOR_POLICY.accountRefusal.answers;
    const answers = Number(value);
    if (Number.isInteger(answers) && answers >= 1 && answers <= 100) return answers;
    ctx.addIssue({ code: 'custom', message: 'must be a whole number from 1 to 100' });
    return z.NEVER;
  }),
  WXAMP_ACCOUNT_REFUSAL_SPAN: envDuration(DEFAULT_OPERATOR_POLICY.accountRefusal.spanMs),
});

/** Reads and checks the configuration. @throws {@link ConfigError} naming the variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The message never quotes the value: a token variable may be the one that is wrong.
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const value = parsed.data;
  const accessTokens = value.WECHAT_ACCESS_TOKENS === undefined ? undefined : parseTokenMap(value.WECHAT_ACCESS_TOKENS);
  const credentials = loadCredentialsConfig(env);
  const connection = loadConnection(env);
  const operations = loadOperationsConfig(env);
  if (!accessTokens && !value.WECHAT_ACCESS_TOKEN && !value.WECHAT_TOKEN_URL && !credentials.appSecrets && !credentials.component) {
    throw new ConfigError(
      'No access-token source: set WECHAT_ACCESS_TOKEN, WECHAT_ACCESS_TOKENS or WECHAT_TOKEN_URL, or credentials: WECHAT_APP_SECRETS(_FILE) or WECHAT_COMPONENT_APPID (see the README).',
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
    },
  };
}

/** The connection settings (TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE win over a profile, as DESIGN says). */
function loadConnection(env: NodeJS.ProcessEnv): TemporalConnectionConfig {
  try {
    return loadConnectionConfig({ env });
  } catch (error) {
    if (error instanceof ConnectionConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

function parseTokenMap(text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('WECHAT_ACCESS_TOKENS: is not valid JSON; expected an object like {"wx1234567890abcdef": "<token>"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('WECHAT_ACCESS_TOKENS: must be a JSON object mapping official-account appids to tokens');
  }
  const tokens = new Map<string, string>();
  for (const [appId, token] of Object.entries(parsed)) {
    if (typeof token !== 'string' || token === '') {
      throw new ConfigError(`WECHAT_ACCESS_TOKENS: the token for ${appId} must be a non-empty string`);
    }
    tokens.set(appId, token);
  }
  return tokens;
}
