/**
 * The in-process workers of the bench: ours (exactly what `npm run worker` runs, through
 * createLinkWorker and the bundle `npm run build` made) and the bench's own (naive baseline and
 * no-op), bundled here from bench/bench-workflows so ours never sees them.
 */
import { randomBytes } from 'node:crypto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { StaticTokenProvider, WeChatClient } from '../activities';
import { DEFAULT_WORKFLOW_BUNDLE } from '../worker/bundle-workflows';
import { createLinkWorker } from '../worker/create-worker';
import { createNaiveActivities } from './naive-activities';
import type { BenchStack } from './stack';

/** The bench's workflows (naive baseline, no-op), bundled once per run. */
export interface BenchBundle {
  code: string;
}

/** Bundles bench/bench-workflows (a second or two). */
export async function bundleBenchWorkflows(): Promise<BenchBundle> {
  const noop = (): void => undefined;
  const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: (message: string) => console.error(message), log: noop };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./bench-workflows'), logger });
  return { code };
}

/** A task queue of its own for one phase: `bench-<what>-<random>`. */
export function phaseTaskQueue(what: string): string {
  return `bench-${what}-${randomBytes(4).toString('hex')}`;
}

/** Our worker, in this process, with the simulator as WeChat and static tokens. */
export function createOursWorker(stack: BenchStack, taskQueue: string, tokens: ReadonlyMap<string, string>): Promise<Worker> {
  return createLinkWorker({
    connection: stack.nativeConnection,
    namespace: stack.namespace,
    taskQueue,
    workflowBundlePath: DEFAULT_WORKFLOW_BUNDLE,
    wechat: new WeChatClient({ baseUrl: stack.simulator.baseUrl }),
    tokens: new StaticTokenProvider({ perAccount: tokens }),
    shutdownGraceMs: 1_000,
  });
}

/** The bench's worker (naive baseline and no-op workflows), in this process. */
export function createBenchWorker(stack: BenchStack, taskQueue: string, bundle: BenchBundle, tokens: ReadonlyMap<string, string>): Promise<Worker> {
  return Worker.create({
    connection: stack.nativeConnection,
    namespace: stack.namespace,
    taskQueue,
    workflowBundle: { code: bundle.code },
    activities: createNaiveActivities({
      wechat: new WeChatClient({ baseUrl: stack.simulator.baseUrl }),
      tokens: new StaticTokenProvider({ perAccount: tokens }),
    }),
    shutdownGraceTime: 1_000,
  });
}
