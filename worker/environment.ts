/**
 * The worker's environment in one schema: every variable the worker reads, with its default and
 * what a bad value is told. This module is the only reader of the worker's environment; the rules
 * that tie several variables together live with what they configure (config.ts,
 * credentials-config.ts, operations-config.ts). The `TEMPORAL_*` variables are read by
 * common/connection/connection-config.ts, which the clients share, through {@link readConnection}.
 *
 * Every message names the variable and never quotes its value: a token variable may be the one
 * that is wrong.
 */
import { readFileSync } from 'node:fs';
import type { LogLevel } from '@temporalio/worker';
import { z } from 'zod';
import { DEFAULT_REDIS_PREFIX } from '../activities/tokens/credential-store';
import { ConnectionConfigError, loadConnectionConfig, type TemporalConnectionConfig } from '../common/connection/connection-config';
import { parsePayloadKeys, PayloadKeysError, type PayloadKey } from '../common/connection/payload-keys';
import { DEFAULT_OPERATOR_POLICY, DEFAULT_WEBHOOK_RETRY_FOR_MS } from '../common/operator-policy';
import { DEFAULT_TASK_QUEUE } from '../common/task-queue';
import { checkDuration } from '../workflows/support/input-fields';
import { ConfigError } from './config-error';

/** How the worker writes its log lines. */
export const LogFormat = {
  /** One human-readable line per entry (Temporal's default layout), masked. */
  Text: 'text',
  /** One JSON object per line, with the SDK's metadata (workflowId, runId, …) as fields, masked. */
  Json: 'json',
} as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/** A variable's text, trimmed; unset and blank are the same: `undefined`. */
const text = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** A variable read by `read`, which returns the value or the problem (without the variable's name). */
const checked = <T>(read: (value: string) => { value: T } | { problem: string }, fallback: T) =>
  text.transform((value, ctx): T => {
    if (value === undefined) return fallback;
    const result = read(value);
    if ('value' in result) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });

/** A duration ('10s', '500ms' or milliseconds), with its default. */
const duration = (defaultMs: number) =>
  checked<number>((value) => {
    const result = checkDuration(/^\d+$/.test(value) ? Number(value) : value);
    return result.ok ? { value: result.value } : { problem: result.problem };
  }, defaultMs);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** `host:port`, as a listening address. */
const address = checked<string | undefined>((value) => {
  const match = ADDRESS.exec(value);
  return match && Number(match[2]) <= 65535 ? { value } : { problem: 'must be host:port, e.g. 0.0.0.0:9464' };
}, undefined);

/** A whole number of at least `min`; unset keeps the SDK's default. */
const wholeNumber = (min: number) =>
  checked<number | undefined>(
    (value) =>
      /^\d+$/.test(value) && Number(value) >= min && Number.isSafeInteger(Number(value))
        ? { value: Number(value) }
        : { problem: `must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}` },
    undefined,
  );

/** What a JSON map of appids holds, for its messages. */
interface AppIdMapShape {
  /** `token` or `secret`. */
  value: string;
  /** What its keys are: `official-account appids`, `appids`. */
  keys: string;
}

/** A JSON object of appid → non-empty string (tokens, secrets); the message never quotes the text. */
function appIdMap(json: string, shape: AppIdMapShape): { value: Map<string, string> } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { problem: `is not valid JSON; expected an object like {"wx1234567890abcdef": "<${shape.value}>"}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: `must be a JSON object mapping ${shape.keys} to ${shape.value}s` };
  }
  const map = new Map<string, string>();
  for (const [appId, entry] of Object.entries(parsed)) {
    if (typeof entry !== 'string' || entry === '') return { problem: `the ${shape.value} for ${appId} must be a non-empty string` };
    map.set(appId, entry);
  }
  return { value: map };
}

const SECRETS: AppIdMapShape = { value: 'secret', keys: 'appids' };

/** The file that holds the app secrets: read now, so that a bad path or bad JSON stops the start. */
function secretsFile(path: string): { value: Map<string, string> } | { problem: string } {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    // The path is configuration, not a secret; the contents never appear.
    return { problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return appIdMap(json, SECRETS);
}

/** Every variable the worker reads (but `TEMPORAL_*`, see {@link readConnection}), in the order they are checked. */
const workerEnvironmentSchema = z.object({
  // Where the work comes from, and the operator's limits (DESIGN's table).
  WXAMP_TASK_QUEUE: text.pipe(z.string().default(DEFAULT_TASK_QUEUE)),
  WECHAT_API_BASE_URL: text.pipe(httpUrl.default('https://api.weixin.qq.com')),
  WECHAT_ACCESS_TOKEN: text,
  WECHAT_TOKEN_URL: text.pipe(httpUrl.optional()),
  WECHAT_HTTP_TIMEOUT: duration(10_000),
  WXAMP_SHUTDOWN_GRACE: duration(10_000),
  WXAMP_MIN_POLL_INTERVAL: duration(DEFAULT_OPERATOR_POLICY.minPollIntervalMs),
  WXAMP_ACCOUNT_REFUSAL_ANSWERS: checked<number>((value) => {
    const answers = Number(value);
    return Number.isInteger(answers) && answers >= 1 && answers <= 100 ? { value: answers } : { problem: 'must be a whole number from 1 to 100' };
  }, DEFAULT_OPERATOR_POLICY.accountRefusal.answers),
  WXAMP_ACCOUNT_REFUSAL_SPAN: duration(DEFAULT_OPERATOR_POLICY.accountRefusal.spanMs),
  WECHAT_ACCESS_TOKENS: checked<Map<string, string> | undefined>((json) => appIdMap(json, { value: 'token', keys: 'official-account appids' }), undefined),

  // Credentials (credentials-config.ts): app secrets, the third-party platform, where tickets and tokens are kept.
  WECHAT_APP_SECRETS_FILE: checked<{ path: string; secrets: Map<string, string> } | undefined>((path) => {
    const result = secretsFile(path);
    return 'value' in result ? { value: { path, secrets: result.value } } : result;
  }, undefined),
  WECHAT_APP_SECRETS: checked<Map<string, string> | undefined>((json) => appIdMap(json, SECRETS), undefined),
  WECHAT_TOKEN_REDIS_URL: checked<string | undefined>(
    (value) => (/^rediss?:\/\/[^\s]+$/.test(value) ? { value } : { problem: 'must be a redis:// or rediss:// URL, e.g. redis://localhost:6379' }),
    undefined,
  ),
  WECHAT_TOKEN_REDIS_PREFIX: text.pipe(z.string().default(DEFAULT_REDIS_PREFIX)),
  WECHAT_CREDENTIAL_STORE_FILE: text,
  WECHAT_COMPONENT_APPID: text,
  WECHAT_COMPONENT_APPSECRET: text,

  // Outcome notifications (webhook-config.ts): where every event goes, the signing secret, which
  // hosts a caller's notifyUrl may name, how long one event is retried.
  WXAMP_WEBHOOK_URL: text.pipe(httpUrl.optional()),
  WXAMP_WEBHOOK_SECRET: checked<string | undefined>(
    (value) => (value.length >= 16 ? { value } : { problem: 'must be at least 16 characters (a random string, e.g. openssl rand -hex 32)' }),
    undefined,
  ),
  WXAMP_WEBHOOK_ALLOWED_HOSTS: checked<string[] | undefined>((value) => {
    const hosts = value.split(',').map((host) => host.trim().toLowerCase());
    const bad = hosts.find((host) => !/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$|^\[[0-9a-f:.]+\]$/.test(host));
    return bad === undefined
      ? { value: hosts }
      : { problem: `must be a comma-separated list of host names (api.example.com) or *.suffix patterns; "${bad}" is neither` };
  }, undefined),
  WXAMP_WEBHOOK_RETRY_FOR: duration(DEFAULT_WEBHOOK_RETRY_FOR_MS),

  // Operations (operations-config.ts): telemetry, health, tuning.
  WXAMP_METRICS_ADDRESS: address,
  WXAMP_HEALTH_ADDRESS: address,
  WXAMP_LOG_FORMAT: checked<LogFormat>((value) => {
    const format = value.toLowerCase();
    return format === LogFormat.Text || format === LogFormat.Json ? { value: format } : { problem: "must be 'text' or 'json'" };
  }, LogFormat.Text),
  WXAMP_LOG_LEVEL: checked<LogLevel>((value) => {
    const level = value.toUpperCase() as LogLevel;
    return LOG_LEVELS.includes(level) ? { value: level } : { problem: `must be one of ${LOG_LEVELS.join(', ')}` };
  }, 'INFO'),
  WXAMP_MAX_CACHED_WORKFLOWS: wholeNumber(0),
  WXAMP_WORKFLOW_HEAP_MB: wholeNumber(32),
  WXAMP_HEAP_GROWING_PERCENT: wholeNumber(0),
  WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: wholeNumber(1),
  WXAMP_MAX_CONCURRENT_ACTIVITIES: wholeNumber(1),
  WXAMP_MAX_ACTIVITIES_PER_SECOND: checked<number | undefined>((value) => {
    const parsed = Number(value);
    return /^\d+(\.\d+)?$/.test(value) && parsed > 0 ? { value: parsed } : { problem: 'must be a number above 0, e.g. 50 or 0.5' };
  }, undefined),

  // The process: payload encryption (shared with the clients) and the workflow bundle to load.
  WXAMP_PAYLOAD_KEYS: checked<PayloadKey[] | undefined>((value) => {
    try {
      return { value: parsePayloadKeys(value) };
    } catch (error) {
      if (error instanceof PayloadKeysError) return { problem: error.message.slice(`${error.variable}: `.length) };
      throw error;
    }
  }, undefined),
  WXAMP_WORKFLOW_BUNDLE: text,
});

/** The worker's variables, each checked, with its default applied. */
export type WorkerEnvironment = z.output<typeof workerEnvironmentSchema>;

/** The names of the variables {@link readWorkerEnvironment} reads (the `TEMPORAL_*` ones aside). */
export const WORKER_VARIABLES = Object.keys(workerEnvironmentSchema.shape) as Array<keyof WorkerEnvironment>;

/** NODE_OPTIONS, Node's own variable: a `--max-old-space-size` there sizes the main thread's heap (main-thread-heap.ts). */
export function nodeOptionsOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.NODE_OPTIONS;
}

/**
 * Reads and checks every variable of the worker's environment.
 * @throws {@link ConfigError} naming the first variable that is wrong.
 */
export function readWorkerEnvironment(env: NodeJS.ProcessEnv = process.env): WorkerEnvironment {
  const parsed = workerEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * The connection settings (TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE win over a profile, as DESIGN
 * says), read by the module the clients share.
 * @throws {@link ConfigError} naming the setting that is wrong.
 */
export function readConnection(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  try {
    return loadConnectionConfig({ env });
  } catch (error) {
    if (error instanceof ConnectionConfigError) throw new ConfigError(error.message);
    throw error;
  }
}
