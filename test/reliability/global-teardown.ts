/** Prints the summary table of the reliability suite, then stops what the setup started. */
import baseGlobalTeardown from '../global-teardown';
import { formatTable, readRows } from './helpers/report';
import { onProductionLocal } from './helpers/test-server';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.WXAMP_RELIABILITY_REPORT;
  // In scenario order, whatever order the files ran in.
  const rows = (file ? readRows(file) : []).sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
  const server = onProductionLocal() ? 'production-local server' : 'dev server';
  process.stdout.write(`\nReliability summary (${server}, seed ${process.env.WXAMP_RELIABILITY_SEED ?? '?'})\n${formatTable(rows)}\n\n`);
  await globalThis.wxampProductionLocal?.stop();
  await baseGlobalTeardown();
}
