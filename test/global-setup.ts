/**
 * Once per `npm test`: a real Temporal dev server (unless TEMPORAL_TEST_ADDRESS names a running
 * one, as `.ci/run` does) and one workflow bundle shared by every test file. What the test files
 * need is passed on in environment variables, which the jest workers inherit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FINE_TIMERS_DYNAMIC_CONFIG, startDevServer, type DevServer } from '../local/dev-server';
import { WXAMP_SEARCH_ATTRIBUTES } from '../local/search-attributes';
import { findOrInstallTemporalCli } from '../local/temporal-cli';

declare global {
  // Kept for global-teardown, which runs in the same process.
  var wxampDevServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (!process.env.TEMPORAL_TEST_ADDRESS) {
    const cliPath = await findOrInstallTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
    const server = await startDevServer({
      cliPath,
      headless: true,
      searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
      dynamicConfig: FINE_TIMERS_DYNAMIC_CONFIG,
    });
    globalThis.wxampDevServer = server;
    process.env.TEMPORAL_TEST_ADDRESS = server.address;
  }
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'wxamp-bundle-')), 'workflows-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.WXAMP_TEST_WORKFLOW_BUNDLE = bundlePath;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (message: string) => console.error(message), log: noop };
