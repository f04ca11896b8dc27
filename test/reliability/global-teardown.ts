/** Prints the summary table of the reliability suite, then stops what `npm test`'s setup started. */
import baseGlobalTeardown from '../global-teardown';
import { formatTable, readRows } from './helpers/report';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.WXAMP_RELIABILITY_REPORT;
  // In scenario order, whatever order the files ran in.
  const rows = (file ? readRows(file) : []).sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
  process.stdout.write(`\nReliability summary (seed ${process.env.WXAMP_RELIABILITY_SEED ?? '?'})\n${formatTable(rows)}\n\n`);
  await baseGlobalTeardown();
}
