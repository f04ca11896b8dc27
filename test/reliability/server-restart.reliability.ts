/**
 * Scenario 2, server restart: a dev server of its own with a file-backed database, on a fixed
 * port. Links wait for their admins; the server is stopped and started again on the same port and
 * database. The same worker process (never restarted) reconnects by itself, and every link
 * completes as its admins decide.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FINE_TIMERS_DYNAMIC_CONFIG, startDevServer, type DevServer } from '../../local/dev-server';
import { findFreePort } from '../../local/free-port';
import { WXAMP_SEARCH_ATTRIBUTES } from '../../local/search-attributes';
import { findOrInstallTemporalCli } from '../../local/temporal-cli';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep, waitFor } from '../helpers/wait';
import { checkEndings, endingOf, planPairs, type PlannedPair } from './helpers/pair-scenarios';
import { reportRow } from './helpers/report';
import { connectLinks, newTaskQueue, scenarioRandom, secondsSince } from './helpers/suite';
import { startWorkerProcess, type WorkerProcess } from './helpers/worker-process';

const DOWNTIME_MS = 3_000;

let dataDir: string;
let server: DevServer | undefined;
let sim: WeChatSimulator;
let worker: WorkerProcess | undefined;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wxamp-restart-'));
  sim = await startWeChatSimulator();
});
afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
  await worker?.kill9();
  await server?.stop();
  await sim?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The admins decide, by hand, once the server is back. */
function actAsAdmins(pair: PlannedPair): void {
  const { oa, mp } = pair;
  switch (pair.scenario) {
    case 'expire':
      sim.act(oa, mp, 'vanish');
      return;
    case 'refuse':
      sim.act(oa, mp, 'confirm-account');
      sim.act(oa, mp, 'refuse');
      return;
    default:
      sim.act(oa, mp, 'confirm-account');
      sim.act(oa, mp, 'confirm-mini-program');
  }
}

describe('server restart', () => {
  it('links waiting across a restart of the server (same port, same database) all complete; the worker reconnects without a restart', async () => {
    const cliPath = await findOrInstallTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
    const port = await findFreePort();
    const serverOptions = {
      cliPath,
      port,
      dbFilename: join(dataDir, 'temporal.db'),
      headless: true,
      searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
      dynamicConfig: FINE_TIMERS_DYNAMIC_CONFIG,
    };
    server = await startDevServer(serverOptions);
    const started = Date.now();

    const { pairs, tokens } = planPairs(sim, { approve: 6, refuse: 5, expire: 4, pre_invited: 5 }, scenarioRandom('server-restart'), {
      pairsPerAccount: 5,
      scripted: false,
    });
    const taskQueue = newTaskQueue('restart');
    worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: server.address,
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: sim.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
    });
    await worker.ready();
    const { connection, links } = await connectLinks(taskQueue, server.address);
    closers.push(() => connection.close());

    const waiting = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '5m' } as const;
    await Promise.all(pairs.map((p) => links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...waiting })));
    await waitFor(
      async () => (await Promise.all(pairs.map((p) => links.getState(p.oa, p.mp)))).every((s) => s.phase === 'waiting' && s.status === 12),
      'every link waiting at status 12',
      60_000,
    );

    await server.stop();
    const stoppedAt = Date.now();
    await sleep(DOWNTIME_MS);
    const aliveWhileDown = worker.alive();
    server = await startDevServer(serverOptions);
    const downtimeMs = Date.now() - stoppedAt;

    for (const pair of pairs) actAsAdmins(pair);
    const results = await Promise.all(pairs.map((p) => endingOf(links.getHandle(p.oa, p.mp).result() as never)));
    const { correct, problems, duplicates } = checkEndings(sim, pairs, results);
    reportRow({
      scenario: '2 server restart',
      runs: pairs.length,
      correct,
      duplicateSends: duplicates,
      apiCalls: sim.countCalls(),
      seconds: secondsSince(started),
      note: `server down ${(downtimeMs / 1000).toFixed(1)} s (stop to ready); worker pid ${worker.pid} never restarted`,
    });
    expect(problems).toEqual([]);
    expect(aliveWhileDown).toBe(true);
    expect(worker.alive()).toBe(true);
  });
});
