/**
 * Scenario 2 on the production-local server: a production-local stack of its own (Temporal on
 * PostgreSQL). Links wait for their admins; the server process is killed with SIGKILL — no
 * shutdown of any kind, shards and task queues lost mid-flight — and started again on the same
 * database. The same worker process reconnects by itself, every link ends as its admins decide,
 * and no invitation is sent twice. On the dev server, server-restart.reliability.ts is scenario 2.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startProductionLocal, type ProductionLocal } from '../../local/production-local/production-local';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep } from '../helpers/wait';
import { runRestartScenario } from './helpers/restart-scenario';
import { describeOnProductionLocal } from './helpers/test-server';

const DOWNTIME_MS = 5_000;

let stack: ProductionLocal | undefined;
let sim: WeChatSimulator;

beforeAll(async () => {
  sim = await startWeChatSimulator();
  stack = await startProductionLocal({ log: (line) => process.stderr.write(`${line}\n`) });
});
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describeOnProductionLocal('server kill -9 (Temporal on PostgreSQL)', () => {
  it('links waiting across a kill -9 of the server and its start on the same database all end as their admins decide, with no duplicate send', async () => {
    const { address, namespace, server } = stack as ProductionLocal;
    const outcome = await runRestartScenario({
      name: '2 server restart (kill -9, PostgreSQL)',
      sim,
      address,
      namespace,
      counts: { approve: 6, refuse: 5, expire: 4, pre_invited: 5 },
      disrupt: async () => {
        const killedAt = Date.now();
        await server.kill9();
        await sleep(DOWNTIME_MS);
        await server.start();
        return `server killed, down ${((Date.now() - killedAt) / 1000).toFixed(1)} s (kill to ready)`;
      },
    });
    expect(outcome.problems).toEqual([]);
    expect(outcome.workerAliveWhileDisrupted).toBe(true);
    expect(outcome.workerAliveAtEnd).toBe(true);
  });
});
