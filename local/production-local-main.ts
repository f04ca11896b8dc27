/**
 * `npm run temporal:production-local`: a production-shaped Temporal on this machine until SIGINT or
 * SIGTERM — the server v1.29.1 built from its Go module, PostgreSQL for persistence and
 * visibility, the namespace and search attributes created with docs/deployment.md's commands.
 *
 *     node dist/local/production-local-main.js [--] [--env-file path]
 *
 * Once it is ready it prints `TEMPORAL_ADDRESS=…` and `TEMPORAL_NAMESPACE=…` on stdout (and
 * appends them to `--env-file`); progress goes to stderr. On stop it stops the server and the
 * database and deletes their files: no process is left behind.
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startProductionLocal } from './production-local/production-local';
import { SetupError, printFatal } from './setup-error';
import { onStopSignal } from './stop-signal';

const USAGE = 'Usage: node dist/local/production-local-main.js [--] [--env-file path]';

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let running = false;
  const stopRequested = onStopSignal(() => running);
  const stack = await startProductionLocal({ log: (line) => console.error(line) });
  running = true;
  const lines = `TEMPORAL_ADDRESS=${stack.address}\nTEMPORAL_NAMESPACE=${stack.namespace}\n`;
  process.stdout.write(lines);
  if (values['env-file']) await appendFile(values['env-file'], lines);
  console.error(`Temporal server pid ${stack.server.pid}, PostgreSQL port ${stack.postgres.port} (data in ${stack.postgres.dataDir}). Ctrl-C to stop.`);
  const signal = await stopRequested;
  console.error(`${signal}: stopping the Temporal server and PostgreSQL…`);
  await stack.stop();
  console.error('Stopped.');
}

function parseCommandLine(): { 'env-file'?: string; help: boolean } {
  // A leading "--" shields --env-file from Node 20, which reads that flag itself (see dev-server-main.ts).
  const argv = process.argv.slice(2);
  try {
    return parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: { 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new SetupError(`${(err as Error).message}\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
