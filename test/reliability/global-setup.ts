/**
 * Once per `npm run test:reliability`: what `npm test` sets up (a dev server unless
 * TEMPORAL_TEST_ADDRESS names one, and the workflow bundle), plus the report file that every
 * scenario appends its row to and the seed of the suite's random choices.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import baseGlobalSetup from '../global-setup';

export default async function globalSetup(): Promise<void> {
  await baseGlobalSetup();
  const report = join(mkdtempSync(join(tmpdir(), 'wxamp-reliability-')), 'rows.jsonl');
  writeFileSync(report, '');
  process.env.WXAMP_RELIABILITY_REPORT = report;
  process.env.WXAMP_RELIABILITY_SEED ??= '20260815';
  process.stderr.write(`reliability suite: seed ${process.env.WXAMP_RELIABILITY_SEED} (WXAMP_RELIABILITY_SEED repeats a run)\n`);
}
