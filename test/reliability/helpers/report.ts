/**
 * The figures of the reliability suite: every scenario appends one row to the file that
 * `WXAMP_RELIABILITY_REPORT` names (set by the suite's global setup), and the global teardown
 * prints them as one table. A row is written before the scenario asserts, so a failing run shows
 * its figures too.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** One scenario's figures. */
export interface ReliabilityRow {
  scenario: string;
  /** Links (or checks) the scenario ran. */
  runs: number;
  /** How many of them ended as they should. */
  correct: number;
  /** `wxamplink` calls accepted (errcode 0) beyond the first for a pair, summed over the pairs. */
  duplicateSends: number;
  /** WeChat-side calls the simulator received. */
  apiCalls: number;
  /** Wall time of the scenario. */
  seconds: number;
  /** A few words on what else was measured. */
  note?: string;
}

/** Appends a row to the report and prints the figure on the test's own output. */
export function reportRow(row: ReliabilityRow): void {
  const file = process.env.WXAMP_RELIABILITY_REPORT;
  console.log(
    `[reliability] ${row.scenario}: ${row.correct}/${row.runs} correct, ${row.duplicateSends} duplicate sends, ${row.apiCalls} API calls, ${row.seconds.toFixed(1)} s${row.note ? ` — ${row.note}` : ''}`,
  );
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** The rows written so far, in order. */
export function readRows(file: string): ReliabilityRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReliabilityRow);
}

/** The rows as a plain-text table (fixed-width, so that it reads the same in a CI log). */
export function formatTable(rows: readonly ReliabilityRow[]): string {
  const head = ['scenario', 'runs', 'correct', 'duplicate sends', 'API calls', 'seconds', 'note'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.runs),
    String(r.correct),
    String(r.duplicateSends),
    String(r.apiCalls),
    r.seconds.toFixed(1),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i >= 1 && i <= 5 ? `${'-'.repeat(w + 1)}:` : `-${'-'.repeat(w + 1)}`)).join('|')}|`, ...body.map(line)].join(
    '\n',
  );
}
