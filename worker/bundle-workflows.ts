/**
 * `npm run build` step: bundles the workflows once, so that production workers load a fixed
 * bundle (fast start, and exactly the code that was tested) instead of bundling at start-up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Where the build writes the bundle, relative to the compiled `worker/` folder. */
export const DEFAULT_WORKFLOW_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  writeFileSync(DEFAULT_WORKFLOW_BUNDLE, code);
  console.log(`workflow bundle: ${DEFAULT_WORKFLOW_BUNDLE} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
