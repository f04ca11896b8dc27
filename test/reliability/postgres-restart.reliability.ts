/**
 * Scenario 13, PostgreSQL restarted mid-wait (production-local server only): a production-local
 * stack of its own. 50 links wait for their admins; the database is stopped for 20 s — the server
 * stays up and fails every call that needs it — and started again. The server reconnects, the
 * same worker process carries on, every link ends as its admins decide, and no invitation is
 * sent twice.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startProductionLocal, type ProductionLocal } from '../../local/production-local/production-local';
import { startWeChatSimulator, type WeChatSimulator } from '../../simulator';
import { sleep } from '../helpers/wait';
import { runRestartScenario } from './helpers/restart-scenario';
import { describeOnProductionLocal } from './helpers/test-server';

const DATABASE_DOWN_MS = 20_000;

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

describeOnProductionLocal('PostgreSQL restart', () => {
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
        const serverAlive = server.pid !== undefined;
        return `PostgreSQL down ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s; the server ${serverAlive ? 'stayed up' : 'exited'}`;
      },
    });
    expect(outcome.problems).toEqual([]);
    expect(server.pid).toBeDefined();
    expect(outcome.workerAliveWhileDisrupted).toBe(true);
    expect(outcome.workerAliveAtEnd).toBe(true);
  });
});
