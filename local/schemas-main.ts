/**
 * `npm run schemas` (also the last step of `npm run build`): writes `schemas/<name>.json` for every
 * entry of the contract's table (client/contract-schemas.ts) and removes the files no entry names
 * any more. The files are committed; test/unit/contract-schemas.test.ts fails when they are stale.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contractSchemaFiles } from '../client/contract-schemas';
import { SCHEMAS_DIR } from './repo-paths';

function main(): void {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  const files = contractSchemaFiles();
  const changed: string[] = [];
  for (const { file, text } of files) {
    const path = join(SCHEMAS_DIR, file);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    // Unchanged files are left alone, so that a build touches nothing it need not.
    if (current === text) continue;
    writeFileSync(path, text);
    changed.push(file);
  }
  const named = new Set(files.map(({ file }) => file));
  const removed = readdirSync(SCHEMAS_DIR).filter((file) => file.endsWith('.json') && !named.has(file));
  for (const file of removed) rmSync(join(SCHEMAS_DIR, file));
  if (changed.length > 0 || removed.length > 0) {
    const where = relative(process.cwd(), SCHEMAS_DIR) || '.';
    console.error(`${where}: ${[...changed.map((f) => `wrote ${f}`), ...removed.map((f) => `removed ${f}`)].join(', ')}`);
  }
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
