/**
 * The operator's settings: tuning variables become `Worker.create` options, telemetry and health
 * addresses are checked, and every bad value is refused with the variable's name. The JSON log
 * format keeps the SDK's ids as fields and masks secrets wherever they hide.
 */
import { describe, expect, it } from '@jest/globals';
import type { LogEntry } from '@temporalio/worker';
import { ConfigError } from '../../worker/config-error';
import { DEFAULT_MAX_CACHED_WORKFLOWS, describeTuning, loadOperationsConfig, workerTuningOptions } from '../../worker/operations-config';
import { formatRedactedJson } from '../../worker/redacting-logger';

describe('loadOperationsConfig', () => {
  it('leaves everything but the bounded sticky cache to the SDK when nothing is set', () => {
    const config = loadOperationsConfig({});
    expect(config).toEqual({
      metricsAddress: undefined,
      healthAddress: undefined,
      logFormat: 'text',
      logLevel: 'INFO',
      maxConcurrentActivities: undefined,
      maxConcurrentWorkflowTasks: undefined,
      maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
      workflowHeapMb: 114,
      heapGrowingPercent: 0,
      maxActivitiesPerSecond: undefined,
    });
    expect(workerTuningOptions(config)).toEqual({ maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS });
    expect(describeTuning(config)).toBe(`maxCachedWorkflows=${DEFAULT_MAX_CACHED_WORKFLOWS}`);
  });

  it('turns the tuning variables into Worker.create options', () => {
    const config = loadOperationsConfig({
      WXAMP_MAX_CONCURRENT_ACTIVITIES: '20',
      WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      WXAMP_MAX_CACHED_WORKFLOWS: '500',
      WXAMP_MAX_ACTIVITIES_PER_SECOND: '2.5',
      WXAMP_METRICS_ADDRESS: '0.0.0.0:9464',
      WXAMP_HEALTH_ADDRESS: '[::]:8080',
      WXAMP_LOG_FORMAT: 'JSON',
      WXAMP_LOG_LEVEL: 'debug',
    });
    expect(workerTuningOptions(config)).toEqual({
      maxConcurrentActivityTaskExecutions: 20,
      maxConcurrentWorkflowTaskExecutions: 8,
      maxCachedWorkflows: 500,
      maxTaskQueueActivitiesPerSecond: 2.5,
    });
    expect(config).toMatchObject({ metricsAddress: '0.0.0.0:9464', healthAddress: '[::]:8080', logFormat: 'json', logLevel: 'DEBUG' });
    expect(describeTuning(config)).toBe(
      'maxConcurrentActivityTaskExecutions=20, maxConcurrentWorkflowTaskExecutions=8, maxCachedWorkflows=500, maxTaskQueueActivitiesPerSecond=2.5',
    );
  });

  it("leaves heap growth to V8's heuristic unless WXAMP_HEAP_GROWING_PERCENT says how far past their live size heaps grow", () => {
    expect(loadOperationsConfig({ WXAMP_HEAP_GROWING_PERCENT: '30' }).heapGrowingPercent).toBe(30);
    expect(loadOperationsConfig({ WXAMP_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(() => loadOperationsConfig({ WXAMP_HEAP_GROWING_PERCENT: '-5' })).toThrow(/^WXAMP_HEAP_GROWING_PERCENT: must be a whole number \(0 or more\)$/);
  });

  it("sizes the workflow thread's heap from the sticky cache unless WXAMP_WORKFLOW_HEAP_MB says otherwise", () => {
    expect(loadOperationsConfig({ WXAMP_MAX_CACHED_WORKFLOWS: '2000' }).workflowHeapMb).toBe(464);
    expect(loadOperationsConfig({ WXAMP_MAX_CACHED_WORKFLOWS: '0' }).workflowHeapMb).toBe(64);
    expect(loadOperationsConfig({ WXAMP_MAX_CACHED_WORKFLOWS: '2000', WXAMP_WORKFLOW_HEAP_MB: '1024' }).workflowHeapMb).toBe(1024);
  });

  it('allows one workflow task slot only without a sticky cache', () => {
    expect(workerTuningOptions(loadOperationsConfig({ WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '1', WXAMP_MAX_CACHED_WORKFLOWS: '0' }))).toEqual({
      maxConcurrentWorkflowTaskExecutions: 1,
      maxCachedWorkflows: 0,
    });
  });

  it.each([
    [{ WXAMP_MAX_CONCURRENT_ACTIVITIES: '0' }, /^WXAMP_MAX_CONCURRENT_ACTIVITIES: must be a whole number of at least 1$/],
    [{ WXAMP_MAX_CONCURRENT_ACTIVITIES: 'many' }, /^WXAMP_MAX_CONCURRENT_ACTIVITIES: must be a whole number/],
    [{ WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '2.5' }, /^WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: must be a whole number/],
    [{ WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, /^WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: must be at least 2 unless WXAMP_MAX_CACHED_WORKFLOWS=0/],
    [{ WXAMP_MAX_CACHED_WORKFLOWS: '-1' }, /^WXAMP_MAX_CACHED_WORKFLOWS: must be a whole number \(0 or more\)$/],
    [{ WXAMP_WORKFLOW_HEAP_MB: '16' }, /^WXAMP_WORKFLOW_HEAP_MB: must be a whole number of at least 32$/],
    [{ WXAMP_MAX_ACTIVITIES_PER_SECOND: '0' }, /^WXAMP_MAX_ACTIVITIES_PER_SECOND: must be a number above 0/],
    [{ WXAMP_MAX_ACTIVITIES_PER_SECOND: '1e3' }, /^WXAMP_MAX_ACTIVITIES_PER_SECOND: must be a number above 0/],
    [{ WXAMP_METRICS_ADDRESS: '9464' }, /^WXAMP_METRICS_ADDRESS: must be host:port/],
    [{ WXAMP_HEALTH_ADDRESS: 'localhost:99999' }, /^WXAMP_HEALTH_ADDRESS: must be host:port/],
    [{ WXAMP_HEALTH_ADDRESS: '0.0.0.0:9464', WXAMP_METRICS_ADDRESS: '0.0.0.0:9464' }, /^WXAMP_HEALTH_ADDRESS: must differ from WXAMP_METRICS_ADDRESS/],
    [{ WXAMP_LOG_FORMAT: 'xml' }, /^WXAMP_LOG_FORMAT: must be 'text' or 'json'$/],
    [{ WXAMP_LOG_LEVEL: 'LOUD' }, /^WXAMP_LOG_LEVEL: must be one of TRACE, DEBUG, INFO, WARN, ERROR$/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadOperationsConfig(env)).toThrow(ConfigError);
    expect(() => loadOperationsConfig(env)).toThrow(message);
  });
});

describe('formatRedactedJson', () => {
  const SECRET = 'app-secret-0123456789abcdef';
  const entry = (message: string, meta: Record<string, unknown>): LogEntry => ({ level: 'WARN', message, timestampNanos: 1_767_225_600_000_000_000n, meta });

  it('writes one JSON object with time, level, message and the workflow ids as fields', () => {
    const line = formatRedactedJson(
      entry('WeChat call failed', {
        sdkComponent: 'activity',
        workflowId: 'wxamp-link/wx1/wx2',
        workflowRunId: 'run-1',
        activityType: 'fetchLinkSnapshot',
        attempt: 1,
      }),
      [],
    );
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'WARN',
      message: 'WeChat call failed',
      sdkComponent: 'activity',
      workflowId: 'wxamp-link/wx1/wx2',
      workflowRunId: 'run-1',
      activityType: 'fetchLinkSnapshot',
      attempt: 1,
    });
    expect(Object.keys(JSON.parse(line) as object).slice(0, 3)).toEqual(['time', 'level', 'message']);
  });

  it('masks secrets in the message, in nested fields, in errors and under secret field names', () => {
    const error = new Error(`request to /cgi-bin/stable_token failed with "${SECRET}"`);
    const line = formatRedactedJson(
      entry(`token ${SECRET}`, {
        url: `https://api.weixin.qq.com/cgi-bin/wxopen/wxamplinkget?access_token=ACCESS${SECRET}`,
        nested: { deeper: [`"${SECRET}"`] },
        error,
        access_token: 'short',
        apiKey: 'k',
        seq: 5n,
      }),
      [SECRET],
    );
    expect(line).not.toContain(SECRET);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed.message).toBe('token [REDACTED]');
    expect(parsed.url).toBe('https://api.weixin.qq.com/cgi-bin/wxopen/wxamplinkget?access_token=[REDACTED]');
    expect(parsed.nested).toEqual({ deeper: ['"[REDACTED]"'] });
    expect(parsed.error).toMatchObject({ name: 'Error', message: 'request to /cgi-bin/stable_token failed with "[REDACTED]"' });
    expect(parsed.access_token).toBe('[REDACTED]');
    expect(parsed.apiKey).toBe('[REDACTED]');
    expect(parsed.seq).toBe('5');
  });
});
