/**
 * `node dist/local/prerequisites-main.js <start|test|reliability|e2e|production-local>`: run by the npm scripts
 * before the command itself, so that a fresh machine gets what it needs (or one clear list of
 * what to install) before anything starts.
 */
import { ensurePrerequisites, type Purpose } from './prerequisites';
import { printFatal } from './setup-error';

const PURPOSES: readonly Purpose[] = ['start', 'test', 'reliability', 'e2e', 'production-local'];

async function main(): Promise<void> {
  const purpose = process.argv[2] as Purpose | undefined;
  if (!purpose || !PURPOSES.includes(purpose)) {
    console.error(`usage: prerequisites-main <${PURPOSES.join('|')}>`);
    process.exit(2);
  }
  await ensurePrerequisites(purpose, (line) => console.error(line));
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
