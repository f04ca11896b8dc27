/**
 * Runs a local Temporal dev server with the wxamp-link search attributes until SIGINT/SIGTERM.
 * For CI and manual runs:
 *
 *     node dist/local/dev-server-main.js [--port 7233] [--ui-port 8233] [--headless]
 *                                        [--db-filename F] [--env-file path]
 *
 * Once the server answers it prints `TEMPORAL_ADDRESS=host:port` on stdout (and appends the
 * same line to `--env-file`, so `--env-file "$GITHUB_ENV"` works); everything else goes to
 * stderr. Ports default to `TEMPORAL_PORT` / `TEMPORAL_UI_PORT`, else to free ports.
 *
 * Node 20 itself looks at every `--env-file` argument, even after the script name, and exits
 * with code 9 ("not found") when the file does not exist yet. Create the file first, or put
 * `--` before the options: `node dist/local/dev-server-main.js -- --env-file out.env`.
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FINE_TIMERS_DYNAMIC_CONFIG, startDevServer } from './dev-server';
import { WXAMP_SEARCH_ATTRIBUTES } from './search-attributes';
import { SetupError, printFatal } from './setup-error';
import { onStopSignal } from './stop-signal';
import { findOrInstallTemporalCli } from './temporal-cli';

const USAGE = 'Usage: node dist/local/dev-server-main.js [--] [--port 7233] [--ui-port 8233] [--headless] [--fine-timers] [--db-filename F] [--env-file path]';

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = parsePort(values.port !== undefined ? '--port' : 'TEMPORAL_PORT', values.port ?? process.env.TEMPORAL_PORT);
  const uiPort = parsePort(values['ui-port'] !== undefined ? '--ui-port' : 'TEMPORAL_UI_PORT', values['ui-port'] ?? process.env.TEMPORAL_UI_PORT);

  let running = false;
  const stopRequested = onStopSignal(() => running);

  const cliPath = await findOrInstallTemporalCli({ log: (line) => console.error(line) });
  const server = await startDevServer({
    cliPath,
    port,
    uiPort,
    headless: values.headless,
    ...(values['fine-timers'] && { dynamicConfig: FINE_TIMERS_DYNAMIC_CONFIG }),
    dbFilename: values['db-filename'],
    searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
    log: (line) => console.error(`[temporal] ${line}`),
  });

  running = true;
  console.log(`TEMPORAL_ADDRESS=${server.address}`);
  if (values['env-file']) await appendFile(values['env-file'], `TEMPORAL_ADDRESS=${server.address}\n`);
  console.error(
    `Temporal dev server ready at ${server.address} (pid ${server.pid}` +
      `${server.uiUrl ? `, Web UI ${server.uiUrl}` : ''}), namespace "${server.namespace}". Ctrl-C to stop.`,
  );

  const signal = await stopRequested;
  console.error(`${signal}: stopping the Temporal dev server…`);
  await server.stop();
}

function parseCommandLine(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions();
  } catch (err) {
    // parseArgs explains what was wrong (unknown option, missing value); add how it is used.
    throw new SetupError(`${(err as Error).message}\n${USAGE}`);
  }
}

function parseOptions() {
  // A leading "--" shields our --env-file from Node 20 (see the top of this file); drop it here,
  // since parseArgs would turn everything after it into positionals.
  const argv = process.argv.slice(2);
  return parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      headless: { type: 'boolean', default: false },
      // Timers accurate to ~10 ms instead of ~1 s, for tests that scale time down.
      'fine-timers': { type: 'boolean', default: false },
      'db-filename': { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

/** @param source the flag or environment variable the value came from, for the error message */
function parsePort(source: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new SetupError(`${source} must be a port number from 1 to 65535, not "${value}".`);
  }
  return port;
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
