/** What every reliability scenario shares: the dev server's address, a client, seeded randomness, time. */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { WxampLinkClient } from '../../../client';
import { seededRandom } from '../../../simulator/chaos';
import { testNamespace } from '../../helpers/test-namespace';

/** The dev server that the suite's global setup started (or TEMPORAL_TEST_ADDRESS named). */
export function temporalAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is unset: run the suite with `npm run test:reliability`');
  return address;
}

/** The suite's seed, mixed with a scenario's name so that scenarios do not share one sequence. */
export function scenarioSeed(scenario: string): number {
  let seed = Number(process.env.WXAMP_RELIABILITY_SEED ?? '20260815') >>> 0;
  for (const ch of scenario) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619) >>> 0;
  return seed;
}

/** A seeded generator of numbers in [0, 1) for one scenario. */
export function scenarioRandom(scenario: string): () => number {
  return seededRandom(scenarioSeed(scenario));
}

/** A task queue of its own, so that no other worker takes the scenario's tasks. */
export function newTaskQueue(scenario: string): string {
  return `reliability-${scenario}-${randomBytes(4).toString('hex')}`;
}

/** A client connection and the library on `taskQueue`. */
export async function connectLinks(
  taskQueue: string,
  address = temporalAddress(),
): Promise<{ connection: Connection; client: Client; links: WxampLinkClient }> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: testNamespace() });
  return { connection, client, links: new WxampLinkClient({ client, taskQueue }) };
}

/** Seconds since `startedMs`. */
export function secondsSince(startedMs: number): number {
  return (Date.now() - startedMs) / 1000;
}
