/**
 * The operator's half of the worker's configuration: tuning (concurrency, sticky cache, the
 * fleet-wide WeChat call budget), telemetry (Prometheus address, log format and level) and the
 * health endpoint. Like the rest of the configuration, a bad value is reported by its variable's
 * name, and the worker refuses to start.
 */
import type { LogLevel, WorkerOptions } from '@temporalio/worker';
import { ConfigError } from './config-error';

/** How the worker writes its log lines. */
export const LogFormat = {
  /** One human-readable line per entry (Temporal's default layout), masked. */
  Text: 'text',
  /** One JSON object per line, with the SDK's metadata (workflowId, runId, …) as fields, masked. */
  Json: 'json',
} as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

/** Operations settings. Every field is optional in the environment; `undefined` keeps the SDK's default. */
export interface OperationsConfig {
  /** `WXAMP_METRICS_ADDRESS`: where Prometheus scrapes `/metrics` (e.g. `0.0.0.0:9464`); none: no exporter. */
  metricsAddress: string | undefined;
  /** `WXAMP_HEALTH_ADDRESS`: where `/healthz` and `/readyz` answer (e.g. `0.0.0.0:8080`); none: no endpoint. */
  healthAddress: string | undefined;
  /** `WXAMP_LOG_FORMAT`. @default 'text' */
  logFormat: LogFormat;
  /** `WXAMP_LOG_LEVEL`. @default 'INFO' */
  logLevel: LogLevel;
  /** `WXAMP_MAX_CONCURRENT_ACTIVITIES` → `maxConcurrentActivityTaskExecutions` (SDK default 100). */
  maxConcurrentActivities: number | undefined;
  /** `WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS` → `maxConcurrentWorkflowTaskExecutions` (SDK default 40). */
  maxConcurrentWorkflowTasks: number | undefined;
  /**
   * `WXAMP_MAX_CACHED_WORKFLOWS` → `maxCachedWorkflows`, the sticky cache.
   * @default {@link DEFAULT_MAX_CACHED_WORKFLOWS}
   */
  maxCachedWorkflows: number;
  /** `WXAMP_MAX_ACTIVITIES_PER_SECOND` → `maxTaskQueueActivitiesPerSecond`: the whole fleet's WeChat call budget. */
  maxActivitiesPerSecond: number | undefined;
}

/**
 * The sticky cache's default size. The SDK's own default grows with the heap (about 600 workflows
 * per GiB), so a worker holding 10,000 waiting links kept them all and grew past 2 GiB. Waiting
 * links are not woken while nothing changes, so an evicted one costs a replay only when its
 * account's answer changes (or at its hourly watchdog); the watchers, woken at every poll, are what
 * the cache mostly serves. At about 0.3 MiB per cached workflow this bounds the cache's share of
 * the worker's memory to about 150 MiB. docs/deployment.md ("Sizing the sticky cache") says how to
 * choose another value.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/** Reads and checks the operations settings. @throws {@link ConfigError} naming the variable. */
export function loadOperationsConfig(env: NodeJS.ProcessEnv): OperationsConfig {
  const metricsAddress = address(env, 'WXAMP_METRICS_ADDRESS');
  const healthAddress = address(env, 'WXAMP_HEALTH_ADDRESS');
  if (metricsAddress !== undefined && metricsAddress === healthAddress) {
    throw new ConfigError('WXAMP_HEALTH_ADDRESS: must differ from WXAMP_METRICS_ADDRESS (the metrics exporter has a port of its own)');
  }
  const format = text(env, 'WXAMP_LOG_FORMAT')?.toLowerCase() ?? LogFormat.Text;
  if (format !== LogFormat.Text && format !== LogFormat.Json) throw new ConfigError("WXAMP_LOG_FORMAT: must be 'text' or 'json'");
  const level = text(env, 'WXAMP_LOG_LEVEL')?.toUpperCase() ?? 'INFO';
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError(`WXAMP_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);

  const maxCachedWorkflows = integer(env, 'WXAMP_MAX_CACHED_WORKFLOWS', 0) ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const maxConcurrentWorkflowTasks = integer(env, 'WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS', 1);
  // The SDK needs two slots with a sticky cache: one for the sticky queue, one for the normal one.
  if (maxConcurrentWorkflowTasks === 1 && maxCachedWorkflows !== 0) {
    throw new ConfigError('WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: must be at least 2 unless WXAMP_MAX_CACHED_WORKFLOWS=0 (sticky execution needs two slots)');
  }
  return {
    metricsAddress,
    healthAddress,
    logFormat: format,
    logLevel: level as LogLevel,
    maxConcurrentActivities: integer(env, 'WXAMP_MAX_CONCURRENT_ACTIVITIES', 1),
    maxConcurrentWorkflowTasks,
    maxCachedWorkflows,
    maxActivitiesPerSecond: positiveNumber(env, 'WXAMP_MAX_ACTIVITIES_PER_SECOND'),
  };
}

/** The `Worker.create` options these settings make; unset ones are left to the SDK's defaults. */
export function workerTuningOptions(config: OperationsConfig): Partial<WorkerOptions> {
  return {
    ...(config.maxConcurrentActivities !== undefined && { maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities }),
    ...(config.maxConcurrentWorkflowTasks !== undefined && { maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks }),
    maxCachedWorkflows: config.maxCachedWorkflows,
    ...(config.maxActivitiesPerSecond !== undefined && { maxTaskQueueActivitiesPerSecond: config.maxActivitiesPerSecond }),
  };
}

/** One line for the start-up log: the tuning that differs from the SDK's defaults. */
export function describeTuning(config: OperationsConfig): string {
  const parts = Object.entries(workerTuningOptions(config)).map(([option, value]) => `${option}=${value as number}`);
  return parts.length === 0 ? 'SDK defaults' : parts.join(', ');
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function address(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const match = ADDRESS.exec(value);
  if (!match || Number(match[2]) > 65535) throw new ConfigError(`${name}: must be host:port, e.g. 0.0.0.0:9464`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(`${name}: must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}`);
  }
  return Number(value);
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(parsed > 0)) throw new ConfigError(`${name}: must be a number above 0, e.g. 50 or 0.5`);
  return parsed;
}
