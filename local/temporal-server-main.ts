/**
 * Prints the path of the production-local stack's Temporal server on stdout, building the pinned
 * version (with its SQL tool) first if the cache does not hold it; progress goes to stderr. For
 * scripts and CI, which start the build early, in the background, while other work runs:
 *
 *     node dist/local/temporal-server-main.js
 */
import { findOrBuildTemporalServer } from './production-local/temporal-server-install';
import { printFatal } from './setup-error';

async function main(): Promise<void> {
  const install = await findOrBuildTemporalServer((line) => console.error(line));
  console.log(install.serverPath);
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
