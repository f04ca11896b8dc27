/**
 * Scenario 2, server restart (dev server): a dev server of its own with a file-backed database, on
 * a fixed port. Links wait for their admins; the server is stopped and started again on the same
 * port and database. The same worker process (never restarted) reconnects by itself, and every
 * link completes as its admins decide. On the production-local server, production-restarts.reliability.ts
 * is scenario 2: a kill -9 of the server on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { FINE_TIMERS_DYNAMIC_CONFIG, startDevServer, type DevServer } from '../../local/dev-server';
import { findFreePort } from '../../local/free-port';
import { WXAMP_SEARCH_ATTRIBUTES } from '../../local/search-attributes';
import { findOrInstallTemporalCli } from '../../local/temporal-cli';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep } from '../helpers/wait';
import { runRestartScenario } from './helpers/restart-scenario';
import { describeOnDevServer } from './helpers/describe-on-server';

const DOWNTIME_MS = 3_000;

let dataDir: string;
let server: DevServer | undefined;
let sim: WeChatSimulator;

describeOnDevServer('server restart', () => {
  // Inside the describe: a skipped describe runs none of its hooks (top-level ones would run).
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wxamp-restart-'));
    sim = await startWeChatSimulator();
  });
  afterAll(async () => {
    await server?.stop();
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('links waiting across a restart of the server (same port, same database) all complete; the worker reconnects without a restart', async () => {
    const cliPath = await findOrInstallTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
    const serverOptions = {
      cliPath,
      port: await findFreePort(),
      dbFilename: join(dataDir, 'temporal.db'),
      headless: true,
      searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
      dynamicConfig: FINE_TIMERS_DYNAMIC_CONFIG,
    };
    server = await startDevServer(serverOptions);
    const outcome = await runRestartScenario({
      name: '2 server restart',
      sim,
      address: server.address,
      namespace: server.namespace,
      counts: { approve: 6, refuse: 5, expire: 4, pre_invited: 5 },
      disrupt: async () => {
        await server?.stop();
        const stoppedAt = Date.now();
        await sleep(DOWNTIME_MS);
        server = await startDevServer(serverOptions);
        return `server down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s (stop to ready)`;
      },
    });
    expect(outcome.problems).toEqual([]);
    expect(outcome.workerAliveWhileDisrupted).toBe(true);
    expect(outcome.workerAliveAtEnd).toBe(true);
  });
});
