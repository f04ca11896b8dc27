/**
 * The scenarios that exist only on the production-local server (Temporal on PostgreSQL), on a
 * stack of their own, so that stopping its database or killing its server disturbs no other
 * scenario. In both, the same worker process carries on, every link ends as its admins decide, and
 * no invitation is sent twice.
 *
 * - Scenario 2 on this server (on the dev server, server-restart.reliability.ts): the server
 *   process killed with SIGKILL — no shutdown of any kind, shards and task queues lost mid-flight —
 *   and started again on the same database.
 * - Scenario 13: 50 links waiting while PostgreSQL is stopped for 20 s — the server stays up and
 *   fails every call that needs the database — and started again.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startProductionLocal, type ProductionLocal } from '../../local/production-local/production-local';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep } from '../helpers/wait';
import { runRestartScenario } from './helpers/restart-scenario';
import { describeOnProductionLocal } from './helpers/describe-on-server';

const SERVER_DOWN_MS = 5_000;
const DATABASE_DOWN_MS = 20_000;

let stack: ProductionLocal | undefined;
let sim: WeChatSimulator;

describeOnProductionLocal('restarts of a production-shaped server (Temporal on PostgreSQL)', () => {
  // Inside the describe: a skipped describe runs none of its hooks (top-level ones would run).
  beforeAll(async () => {
    sim = await startWeChatSimulator();
    stack = await startProductionLocal({ log: (line) => process.stderr.write(`${line}\n`) });
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.close();
  });

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
        await sleep(SERVER_DOWN_MS);
        await server.start();
        return `server killed, down ${((Date.now() - killedAt) / 1000).toFixed(1)} s (kill to ready)`;
      },
    });
    expect(outcome.problems).toEqual([]);
    expect(outcome.workerAliveWhileDisrupted).toBe(true);
    expect(outcome.workerAliveAtEnd).toBe(true);
  });

  it('50 links waiting while PostgreSQL is down for 20 s and started again all end as their admins decide, with no duplicate send', async () => {
    const { address, namespace, postgres, server } = stack as ProductionLocal;
    const outcome = await runRestartScenario({
      name: '13 PostgreSQL restart (down 20 s)',
      sim,
      address,
      namespace,
      counts: { approve: 20, refuse: 12, expire: 8, pre_invited: 10 },
      disrupt: async () => {
        const stoppedAt = Date.now();
        await postgres.stop();
        await sleep(DATABASE_DOWN_MS);
        await postgres.start();
        return `PostgreSQL down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s; the server ${server.pid === undefined ? 'exited' : 'stayed up'}`;
      },
    });
    expect(outcome.problems).toEqual([]);
    expect(server.pid).toBeDefined();
    expect(outcome.workerAliveWhileDisrupted).toBe(true);
    expect(outcome.workerAliveAtEnd).toBe(true);
  });
});
