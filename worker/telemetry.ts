/**
 * The worker process's Temporal runtime: its logger (text or JSON, every line masked) and, when
 * `WXAMP_METRICS_ADDRESS` is set, the SDK's Prometheus exporter. The SDK's own metrics
 * (`temporal_*`) and the project's (`wxamp_*`, emitted through the workflow and activity metric
 * meters) are served together on `/metrics`.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { ActivityMetric, WECHAT_CALL_DURATION_BUCKETS } from '../activities/activity-metrics';
import { LINK_DURATION_BUCKETS, LinkMetric } from '../workflows/pair/pair-metrics';
import { ConfigError } from './config-error';
import { LogFormat } from './operations-config';
import { formatRedacted, formatRedactedJson } from './redacting-logger';

/** Options of {@link installWorkerRuntime}. */
export interface WorkerRuntimeOptions {
  /** Values to mask in every log line (tokens, secrets, the Temporal API key). */
  secrets: readonly string[];
  /** @default 'text' */
  logFormat?: LogFormat;
  /** @default 'INFO' */
  logLevel?: LogLevel;
  /** `host:port` for the Prometheus exporter; none: no metrics are exported. */
  metricsAddress?: string | undefined;
}

/**
 * Installs Temporal's runtime for this process (call once, before connecting).
 * @throws {@link ConfigError} naming `WXAMP_METRICS_ADDRESS` when the exporter cannot listen.
 */
export function installWorkerRuntime(options: WorkerRuntimeOptions): void {
  const format = options.logFormat === LogFormat.Json ? formatRedactedJson : formatRedacted;
  const logger = new DefaultLogger(options.logLevel ?? 'INFO', (entry) => {
    process.stderr.write(`${format(entry, options.secrets)}\n`);
  });
  if (options.metricsAddress === undefined) {
    Runtime.install({ logger });
    return;
  }
  try {
    Runtime.install({
      logger,
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress: options.metricsAddress,
            histogramBucketOverrides: {
              [LinkMetric.Duration]: [...LINK_DURATION_BUCKETS],
              [ActivityMetric.WeChatCallDuration]: [...WECHAT_CALL_DURATION_BUCKETS],
            },
          },
        },
      },
    });
  } catch (error) {
    throw new ConfigError(
      `WXAMP_METRICS_ADDRESS: cannot serve metrics on ${options.metricsAddress}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Prints one of the worker's own lines (started, stopped): on stdout as before in text format;
 * through the runtime's logger in JSON format, so that every line of the process is JSON.
 */
export function workerLine(format: LogFormat, message: string, meta: Record<string, unknown> = {}): void {
  if (format === LogFormat.Json) Runtime.instance().logger.info(message, { sdkComponent: 'worker', ...meta });
  else console.log(message);
}
