/**
 * The production worker's operator surface, on a real process: `/healthz` and `/readyz`
 * (`WXAMP_HEALTH_ADDRESS`) through start, work, SIGTERM and exit; the tuning variables reaching
 * `Worker.create` (seen in the SDK's own slot metrics); and bad operator settings refused with
 * one line that names the variable.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { WxampLinkClient } from '../client';
import { findFreePort } from '../local/free-port';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { FAST } from './helpers/link-harness';
import { scrape, total } from './helpers/prometheus';
import { waitFor } from './helpers/wait';
import { spawnWorker } from './helpers/worker-process';

let simulator: WeChatSimulator;
let connection: Connection;

beforeAll(async () => {
  simulator = await startWeChatSimulator();
  connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
});

afterAll(async () => {
  await connection?.close();
  await simulator?.close();
});

/** GET `url`: its status and JSON body, or `'gone'` when nothing listens any more. */
async function probe(url: string): Promise<{ status: number; body: { status?: string; state?: string } } | 'gone'> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return { status: response.status, body: (await response.json()) as { status?: string; state?: string } };
  } catch {
    return 'gone';
  }
}

describe('the worker process with WXAMP_HEALTH_ADDRESS', () => {
  it('is alive at once, ready once it polls, not ready while it drains after SIGTERM, and gone once it exits', async () => {
    const oa = `wxoa${randomBytes(8).toString('hex')}`;
    const mp = `wxmp${randomBytes(8).toString('hex')}`;
    const token = simulator.registerAccount({ appId: oa }).accessToken;
    const taskQueue = `health-${randomBytes(4).toString('hex')}`;
    const [healthPort, metricsPort] = [await findFreePort(), await findFreePort()];
    const health = `http://127.0.0.1:${healthPort}`;
    const worker = await spawnWorker({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: simulator.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify({ [oa]: token }),
      WXAMP_HEALTH_ADDRESS: `127.0.0.1:${healthPort}`,
      WXAMP_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      WXAMP_SHUTDOWN_GRACE: '10s',
      WXAMP_MAX_CONCURRENT_ACTIVITIES: '4',
      WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '3',
      WXAMP_MAX_CACHED_WORKFLOWS: '10',
      WXAMP_MAX_ACTIVITIES_PER_SECOND: '50',
    });
    try {
      // Before the worker polls, /readyz may only say "starting" (or the SDK's INITIALIZED).
      const early: string[] = [];
      await waitFor(
        async () => {
          const ready = await probe(`${health}/readyz`);
          if (ready === 'gone') return false;
          if (ready.status === 200) return true;
          early.push(`${ready.status} ${ready.body.state ?? ''}`);
          return false;
        },
        '/readyz to answer 200',
        30_000,
      );
      for (const answer of early) expect(answer).toMatch(/^503 (starting|INITIALIZED)$/);
      expect(await probe(`${health}/healthz`)).toEqual({ status: 200, body: { status: 'alive' } });
      expect(await probe(`${health}/readyz`)).toEqual({ status: 200, body: { status: 'ready', state: 'RUNNING' } });
      expect(worker.output()).toContain(
        "tuning: maxConcurrentActivityTaskExecutions=4, maxConcurrentWorkflowTaskExecutions=3, maxCachedWorkflows=10, maxTaskQueueActivitiesPerSecond=50; workflow heap limit 66 MiB; heap growth left to V8's heuristic",
      );
      // The helper starts it as `npm run worker` does: the main thread's heap has its limit.
      expect(worker.output()).toMatch(/main heap limit \d+ MiB \(--max-old-space-size=1024\)/);
      expect(worker.output()).toContain(`health on ${health}/healthz and ${health}/readyz`);

      // The tuning reached Worker.create: the SDK reports the slots it was given.
      const { samples } = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(total(samples, 'temporal_worker_task_slots_available', { task_queue: taskQueue, worker_type: 'ActivityWorker' })).toBe(4);
      expect(total(samples, 'temporal_worker_task_slots_available', { task_queue: taskQueue, worker_type: 'WorkflowWorker' })).toBe(3);

      // A send that WeChat answers slowly: SIGTERM arrives while it runs, so the worker drains.
      simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
      simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', delayMs: 3_000 });
      const links = new WxampLinkClient({ client: new Client({ connection }), taskQueue });
      const handle = await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, miniProgramUsername: `gh_${randomBytes(6).toString('hex')}`, ...FAST });
      await waitFor(() => simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa }) === 1, 'the slow send to be in flight');
      worker.child.kill('SIGTERM');
      // Until the signal is handled /readyz still says ready: wait for it to say otherwise.
      let draining = 'gone' as Awaited<ReturnType<typeof probe>>;
      await waitFor(
        async () => {
          draining = await probe(`${health}/readyz`);
          return draining === 'gone' || draining.status !== 200;
        },
        '/readyz to stop answering 200',
        10_000,
      );
      expect(draining).not.toBe('gone');
      expect(draining).toMatchObject({ status: 503, body: { status: 'not ready' } });
      expect(draining !== 'gone' && draining.body.state).toMatch(/^(STOPPING|DRAINING|DRAINED)$/);
      // Still alive: an orchestrator must not kill it for failing liveness while it drains.
      expect(await probe(`${health}/healthz`)).toEqual({ status: 200, body: { status: 'alive' } });

      expect(await worker.exited).toBe(0);
      expect(await probe(`${health}/readyz`)).toBe('gone');
      await handle.terminate('test over');
    } finally {
      await worker.stop();
    }
  });

  it.each([
    [{ WXAMP_MAX_CONCURRENT_ACTIVITIES: '0' }, /^wxamp-link worker: WXAMP_MAX_CONCURRENT_ACTIVITIES: must be a whole number of at least 1$/],
    [{ WXAMP_MAX_ACTIVITIES_PER_SECOND: 'fast' }, /^wxamp-link worker: WXAMP_MAX_ACTIVITIES_PER_SECOND: must be a number above 0/],
    [
      { WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: '1' },
      /^wxamp-link worker: WXAMP_MAX_CONCURRENT_WORKFLOW_TASKS: must be at least 2 unless WXAMP_MAX_CACHED_WORKFLOWS=0/,
    ],
    [{ WXAMP_LOG_FORMAT: 'yaml' }, /^wxamp-link worker: WXAMP_LOG_FORMAT: must be 'text' or 'json'$/],
    [{ WXAMP_HEALTH_ADDRESS: 'localhost' }, /^wxamp-link worker: WXAMP_HEALTH_ADDRESS: must be host:port/],
  ])('refuses %j with one line naming the variable', async (env, message) => {
    const worker = await spawnWorker({ WECHAT_ACCESS_TOKEN: 'x'.repeat(30), ...env });
    expect(await worker.exited).toBe(1);
    const output = worker.output().trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(message);
  });

  it('names WXAMP_HEALTH_ADDRESS or WXAMP_METRICS_ADDRESS when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = `127.0.0.1:${(blocker.address() as { port: number }).port}`;
    try {
      for (const [variable, message] of [
        ['WXAMP_HEALTH_ADDRESS', `WXAMP_HEALTH_ADDRESS: cannot listen on ${taken} (EADDRINUSE)`],
        ['WXAMP_METRICS_ADDRESS', `WXAMP_METRICS_ADDRESS: cannot serve metrics on ${taken}: `],
      ] as const) {
        const worker = await spawnWorker({ WECHAT_ACCESS_TOKEN: 'x'.repeat(30), TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '', [variable]: taken });
        expect(await worker.exited).toBe(1);
        expect(worker.output().trim().split('\n')).toEqual([expect.stringContaining(`wxamp-link worker: ${message}`)]);
      }
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
