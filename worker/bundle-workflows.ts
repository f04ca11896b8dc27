/**
 * `npm run build` step: bundles the workflows once, so that production workers load a fixed
 * bundle (fast start, and exactly the code that was tested) instead of bundling at start-up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Where the build writes the bundle, relative to the compiled `worker/` folder. */
export const DEFAULT_WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

/**
 * The most the workflow bundle may weigh, in KiB (1,885 KiB without zod, 4,526 KiB with it).
 * Every cached workflow evaluates the bundle's modules again, so a heavy library imported by
 * workflow code costs memory once per cached workflow: with zod, 1.3 MiB of RSS per cached
 * workflow; without, 0.3 MiB (bench/cached-workflow-cost.ts). test/unit/workflow-bundle.test.ts
 * holds the bundle to this budget; eslint.config.mjs forbids the usual culprits in workflows/.
 */
export const WORKFLOW_BUNDLE_BUDGET_KIB = 2_560;

/** The bundle's size in KiB (bytes, as written to disk). */
export function bundleSizeKib(code: string): number {
  return Buffer.byteLength(code, 'utf8') / 1024;
}

async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  writeFileSync(DEFAULT_WORKFLOW_BUNDLE, code);
  const kib = bundleSizeKib(code);
  console.log(`workflow bundle: ${DEFAULT_WORKFLOW_BUNDLE} (${Math.round(kib)} KiB of ${WORKFLOW_BUNDLE_BUDGET_KIB} KiB budget, ${Date.now() - started} ms)`);
  if (kib > WORKFLOW_BUNDLE_BUDGET_KIB) {
    console.warn(
      [
        '',
        `!!! WARNING: the workflow bundle is ${Math.round(kib)} KiB, over its ${WORKFLOW_BUNDLE_BUDGET_KIB} KiB budget.`,
        "!!! Every cached workflow evaluates the bundle's modules again: a heavy library",
        '!!! imported from workflows/ (zod, commander, protobufjs, ...) costs memory once PER CACHED WORKFLOW.',
        '!!! Find the import that pulled it in (the bundle names every module: grep "node_modules/" in',
        `!!! ${DEFAULT_WORKFLOW_BUNDLE}) and move that code out of workflows/.`,
        '',
      ].join('\n'),
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
