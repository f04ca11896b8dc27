/**
 * Prints the path of a working Temporal CLI on stdout, building the pinned version first if
 * none is found; progress goes to stderr. For scripts and CI:
 *
 *     TEMPORAL="$(node dist/local/temporal-cli-main.js)"
 */
import { printFatal } from './setup-error';
import { findOrInstallTemporalCli } from './temporal-cli';

async function main(): Promise<void> {
  const path = await findOrInstallTemporalCli({ log: (line) => console.error(line) });
  console.log(path);
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
