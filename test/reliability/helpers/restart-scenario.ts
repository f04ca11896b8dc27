/**
 * What the restart scenarios share: pairs whose admins act by hand, links started and seen
 * waiting, a disruption of the server side (a restart of the dev server, of PostgreSQL, a kill -9
 * of the server), then the admins act and every link must end as they decided, with no invitation
 * sent twice and the worker process never restarted.
 */
import type { WeChatSimulator } from '../../../simulator';
import { waitFor } from '../../helpers/wait';
import { checkEndings, endingOf, planPairs, type PairScenario, type PlannedPair } from './pair-scenarios';
import { reportRow } from './report';
import { connectLinks, newTaskQueue, scenarioRandom, secondsSince } from './suite';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

/** The admins decide, by hand, once the server side is back. */
export function actAsAdmins(sim: WeChatSimulator, pair: PlannedPair): void {
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

/** One restart scenario. */
export interface RestartScenario {
  /** The report's scenario name, e.g. `13 PostgreSQL restart`. */
  name: string;
  sim: WeChatSimulator;
  /** The server the worker and the client use. */
  address: string;
  namespace: string;
  counts: Partial<Record<PairScenario, number>>;
  /** Disrupts the server side while every link waits; resolves once it is back, with the report's note. */
  disrupt: () => Promise<string>;
}

/** What a restart scenario saw. */
export interface RestartOutcome {
  problems: string[];
  workerAliveWhileDisrupted: boolean;
  workerAliveAtEnd: boolean;
}

/** Runs one restart scenario, reports its row, and returns what the test asserts. The worker is killed at the end. */
export async function runRestartScenario(scenario: RestartScenario): Promise<RestartOutcome> {
  const { sim, address, namespace } = scenario;
  const started = Date.now();
  const { pairs, tokens } = planPairs(sim, scenario.counts, scenarioRandom(scenario.name), { pairsPerAccount: 5, scripted: false });
  const taskQueue = newTaskQueue('restart');
  let worker: WorkerProcess | undefined;
  const { connection, links } = await connectLinks(taskQueue, address);
  try {
    worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      WXAMP_TASK_QUEUE: taskQueue,
      WECHAT_API_BASE_URL: sim.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify(tokens),
    });
    await worker.ready();
    const waiting = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '5m' } as const;
    await Promise.all(pairs.map((p) => links.link({ officialAccountAppId: p.oa, miniProgramAppId: p.mp, ...waiting })));
    await waitFor(
      async () => (await Promise.all(pairs.map((p) => links.getState(p.oa, p.mp)))).every((s) => s.phase === 'waiting' && s.status === 12),
      'every link waiting at status 12',
      90_000,
    );

    const note = await scenario.disrupt();
    const workerAliveWhileDisrupted = worker.alive();
    for (const pair of pairs) actAsAdmins(sim, pair);
    const results = await Promise.all(pairs.map((p) => endingOf(links.getHandle(p.oa, p.mp).result() as never)));
    const { correct, problems, duplicates } = checkEndings(sim, pairs, results);
    reportRow({
      scenario: scenario.name,
      runs: pairs.length,
      correct,
      duplicateSends: duplicates,
      apiCalls: sim.countCalls(),
      seconds: secondsSince(started),
      note: `${note}; worker pid ${worker.pid} never restarted`,
    });
    return { problems, workerAliveWhileDisrupted, workerAliveAtEnd: worker.alive() };
  } finally {
    await worker?.kill9();
    await connection.close();
  }
}
