/**
 * Once per `npm run test:reliability`: the server (the production-local one when
 * WXAMP_TEST_SERVER=production-local, else what `npm test` sets up: a dev server unless
 * TEMPORAL_TEST_ADDRESS names one), the workflow bundle, and the report file that every scenario
 * appends its row to and the seed of the suite's random choices.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProductionLocal, type ProductionLocal } from '../../local/production-local/production-local';
import baseGlobalSetup from '../global-setup';
import { onProductionLocal } from './helpers/test-server';

declare global {
  // Kept for global-teardown, which runs in the same process.
  var wxampProductionLocal: ProductionLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (onProductionLocal() && !process.env.TEMPORAL_TEST_ADDRESS) {
    const stack = await startProductionLocal({ log: (line) => process.stderr.write(`${line}\n`) });
    globalThis.wxampProductionLocal = stack;
    process.env.TEMPORAL_TEST_ADDRESS = stack.address;
    process.env.TEMPORAL_TEST_NAMESPACE = stack.namespace;
  }
  await baseGlobalSetup();
  const report = join(mkdtempSync(join(tmpdir(), 'wxamp-reliability-')), 'rows.jsonl');
  writeFileSync(report, '');
  process.env.WXAMP_RELIABILITY_REPORT = report;
  process.env.WXAMP_RELIABILITY_SEED ??= '20260815';
  process.stderr.write(
    `reliability suite on ${onProductionLocal() ? 'the production-local server (Temporal on PostgreSQL)' : 'the dev server'}: seed ${process.env.WXAMP_RELIABILITY_SEED} (WXAMP_RELIABILITY_SEED repeats a run)\n`,
  );
}
