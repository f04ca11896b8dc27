/**
 * The operator's half of the worker's configuration: tuning (concurrency, sticky cache, the
 * fleet-wide WeChat call budget), telemetry (Prometheus address, log format and level) and the
 * health endpoint. Each variable is read and checked by environment.ts; here, what they make.
 */
import type { LogLevel, WorkerOptions } from '@temporalio/worker';
import { ConfigError } from './config-error';
import { LogFormat, readWorkerEnvironment, type WorkerEnvironment } from './environment';
import { DEFAULT_HEAP_GROWING_PERCENT } from './heap-growth';
import { defaultWorkflowHeapMb } from './workflow-heap';

export { LogFormat };

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
  /**
   * `WXAMP_WORKFLOW_HEAP_MB`: the workflow thread's V8 heap limit (workflow-heap.ts). Node's own
   * `--max-old-space-size` sizes the main thread only (main-thread-heap.ts).
   * @default {@link defaultWorkflowHeapMb} of the sticky cache's size
   */
  workflowHeapMb: number;
  /**
   * `WXAMP_HEAP_GROWING_PERCENT`: how far V8 lets each heap grow past its live size (heap-growth.ts);
   * 0, the default, leaves it to V8's heuristic.
   * @default {@link DEFAULT_HEAP_GROWING_PERCENT}
   */
  heapGrowingPercent: number;
  /** `WXAMP_MAX_ACTIVITIES_PER_SECOND` → `maxTaskQueueActivitiesPerSecond`: the whole fleet's WeChat call budget. */
  maxActivitiesPerSecond: number | undefined;
}

/**
 * The sticky cache's default size. The SDK's own default grows with the heap (about 600 workflows
 * per GiB), so a worker holding 10,000 waiting links kept them all and grew past 2 GiB. Waiting
 * links are not woken while nothing changes, so an evicted one costs a replay only when its
 * account's answer changes (or at its hourly watchdog); the watchers, woken at every poll, are what
 * the cache mostly serves, and with more accounts than the cache holds they miss it anyway. 250 and
 * the heap limit that follows it (114 MiB) kept the bench's worker at 382 MiB peak with 1,000 links
 * (494 MiB without {@link https://man7.org/linux/man-pages/man3/mallopt.3.html MALLOC_ARENA_MAX}=2;
 * 537–596 MiB with a cache of 500), the misses per minute unchanged. docs/deployment.md ("Sizing
 * the sticky cache") says how to choose another value.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

/** Reads and checks the operations settings. @throws {@link ConfigError} naming the variable. */
export function loadOperationsConfig(env: NodeJS.ProcessEnv): OperationsConfig {
  return operationsConfigOf(readWorkerEnvironment(env));
}

/** The operations settings from the checked environment: the rules that tie several variables together. */
export function operationsConfigOf(vars: WorkerEnvironment): OperationsConfig {
  const metricsAddress = vars.WXAMP_METRICS_ADDRESS;
  const healthAddress = vars.WXAMP_HEALTH_ADDRESS;
  if (metricsAddress !== undefined && metricsAddress === healthAddress) {
    throw new ConfigError('WXAMP_HEALTH_ADDRESS: must differ from WXAMP_METRICS_ADDRESS (the metrics exporter has a port of its own)');
  }
  const maxCachedWorkflows = vars.WXAMP_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const maxConcurrentWorkflowTasks = vars.WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS;
  // The SDK needs two slots with a sticky cache: one for the sticky queue, one for the normal one.
  if (maxConcurrentWorkflowTasks === 1 && maxCachedWorkflows !== 0) {
    throw new ConfigError('WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: must be at least 2 unless WXAMP_MAX_CACHED_WORKFLOWS=0 (sticky execution needs two slots)');
  }
  return {
    metricsAddress,
    healthAddress,
    logFormat: vars.WXAMP_LOG_FORMAT,
    logLevel: vars.WXAMP_LOG_LEVEL,
    maxConcurrentActivities: vars.WXAMP_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks,
    maxCachedWorkflows,
    workflowHeapMb: vars.WXAMP_WORKFLOW_HEAP_MB ?? defaultWorkflowHeapMb(maxCachedWorkflows),
    heapGrowingPercent: vars.WXAMP_HEAP_GROWING_PERCENT ?? DEFAULT_HEAP_GROWING_PERCENT,
    maxActivitiesPerSecond: vars.WXAMP_MAX_ACTIVITIES_PER_SECOND,
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
