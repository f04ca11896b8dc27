import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevServerNotReadyError, waitForDevServer } from './dev-server-ready';
import { formatCommand } from './format-command';
import { findFreePort, isPortFree } from './free-port';
import { LineTail } from './line-tail';
import { SetupError } from './setup-error';
import { scratchParentDir } from './scratch-dir';

/** The search attribute types `temporal server start-dev --search-attribute` accepts. */
export const SearchAttributeTypeName = {
  Keyword: 'Keyword',
  Text: 'Text',
  Int: 'Int',
  Double: 'Double',
  Bool: 'Bool',
  Datetime: 'Datetime',
  KeywordList: 'KeywordList',
} as const;
/** One of the {@link SearchAttributeTypeName} values. */
export type SearchAttributeTypeName = (typeof SearchAttributeTypeName)[keyof typeof SearchAttributeTypeName];

/**
 * Dynamic config for scaled-down time (tests poll every 100 ms): by default the server may fire a
 * timer up to ~1 s late (`history.timerProcessorMaxTimeShift`), which is harmless in production.
 */
export const FINE_TIMERS_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = { 'history.timerProcessorMaxTimeShift': '10ms' };

/** Options for {@link startDevServer}. */
export interface DevServerOptions {
  /** Absolute path of the `temporal` binary, from {@link findOrInstallTemporalCli}. */
  cliPath: string;
  /** Address the server binds. @default '127.0.0.1' */
  ip?: string;
  /** gRPC frontend port; must be free. @default a free port */
  port?: number;
  /** Web UI port; must be free. Ignored when {@link headless}. @default a free port */
  uiPort?: number;
  /** Run without the Web UI. @default false */
  headless?: boolean;
  /** SQLite file that keeps the server's state across runs. @default a fresh temporary file in shared memory when there is some ({@link scratchParentDir}), removed by {@link DevServer.stop} */
  dbFilename?: string;
  /** Namespace to create and wait for. @default 'default' */
  namespace?: string;
  /** Custom search attributes to register, name → type. @default none */
  searchAttributes?: Record<string, SearchAttributeTypeName>;
  /** Server dynamic configuration, key → JSON value (e.g. finer timers for tests). @default none */
  dynamicConfig?: Record<string, unknown>;
  /** Receives the server's warnings and errors, one line at a time. @default they are only kept for error messages */
  log?: (line: string) => void;
  /** How long to wait for the server to answer before giving up. @default 60000 */
  startTimeoutMs?: number;
}

/** A running `temporal server start-dev`, as returned by {@link startDevServer}. */
export interface DevServer {
  /** `host:port` to give `Connection.connect` / `NativeConnection.connect`, e.g. `'127.0.0.1:7233'`. */
  address: string;
  /** The Web UI, unless the server is headless. */
  uiUrl?: string;
  /** The namespace that was created and checked. */
  namespace: string;
  /** Process id of the server. */
  pid: number;
  /** The server's most recent output lines (up to 200), for diagnosing a failure. */
  recentOutput(): string[];
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its temporary database. Safe to call twice. */
  stop(): Promise<void>;
}

const OUTPUT_LINES = 200;
const ERROR_LINES = 20;
const STOP_GRACE_MS = 10_000;

/**
 * Starts a local Temporal server with `temporal server start-dev` and resolves once it answers
 * for its namespace and lists every requested search attribute.
 *
 * Every port it binds is free by default (gRPC, UI, HTTP API and metrics), so several servers
 * can run at once, e.g. one per test file. The server process is killed if this process exits
 * without calling {@link DevServer.stop}.
 *
 * @throws {@link SetupError} when a requested port is taken, the server exits early, or it is
 *   not ready within `startTimeoutMs` (with the server's last lines of output)
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(options);
    } catch (error) {
      // The CLI picks its internal services' ports itself, after we picked ours: now and then
      // one of them lands on the HTTP or metrics port we chose, and the server exits. New ports fix it.
      const portClash = error instanceof SetupError && error.message.includes('address already in use');
      if (!portClash || attempt >= PORT_CLASH_ATTEMPTS) throw error;
    }
  }
}

/** How many times {@link startDevServer} tries when the server lost a port race. */
const PORT_CLASH_ATTEMPTS = 3;

async function startDevServerOnce(options: DevServerOptions): Promise<DevServer> {
  const { cliPath, ip = '127.0.0.1', headless = false, namespace = 'default', log, startTimeoutMs = 60_000 } = options;
  const searchAttributes = validateSearchAttributes(options.searchAttributes ?? {});
  if (!namespace) throw new SetupError('namespace must not be empty.');

  const taken = new Set<number>();
  const port = await choosePort(options.port, ip, taken, 'gRPC port', 'TEMPORAL_PORT');
  const uiPort = headless ? undefined : await choosePort(options.uiPort, ip, taken, 'Web UI port', 'TEMPORAL_UI_PORT');
  const httpPort = await choosePort(undefined, ip, taken);
  const metricsPort = await choosePort(undefined, ip, taken);

  const tempDir = options.dbFilename ? undefined : await mkdtemp(join(scratchParentDir(), 'wxamp-temporal-'));
  // A directory rather than a bare file name, so the -wal and -shm files SQLite adds go with it.
  const dbFilename = options.dbFilename ?? join(tempDir ?? '', 'temporal.db');

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port)];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort));
  args.push('--db-filename', dbFilename, '--log-level', 'warn');
  // "default" always exists; passing it again is harmless but makes the command line misleading.
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new LineTail(OUTPUT_LINES);
  let stopping = false;
  const capture = (stream: NodeJS.ReadableStream, isStderr: boolean): void => {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      output.push(line);
      // Shutdown always logs a burst of "connection closed" warnings that mean nothing.
      if (log && !stopping && isWorthForwarding(line, isStderr)) log(line);
    });
  };
  capture(child.stdout, false);
  capture(child.stderr, true);
  const exited = waitForExit(child);

  const cleanUpTempDir = async (): Promise<void> => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  // Synchronous, because 'exit' handlers cannot wait: the child must not outlive us.
  const onParentExit = (): void => {
    child.kill('SIGKILL');
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  process.on('exit', onParentExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      if (!hasExited(child)) {
        child.kill('SIGTERM');
        const result = await Promise.race([exited, sleep(STOP_GRACE_MS, 'timeout' as const, { ref: false })]);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.off('exit', onParentExit);
      await cleanUpTempDir();
    })());

  const connectHost = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  const address = hostPort(connectHost, port);
  const readiness = new AbortController();
  const ready = waitForDevServer({
    address,
    namespace,
    searchAttributeNames: Object.keys(searchAttributes),
    deadline: Date.now() + startTimeoutMs,
    signal: readiness.signal,
  });
  /** Stops everything and returns the output seen so far; taken before stopping, which adds noise of its own. */
  const giveUp = async (): Promise<string> => {
    const lastLines = output.format(ERROR_LINES);
    readiness.abort();
    // The losing side of the race settles later; what it would say is already in our error.
    ready.catch(() => undefined);
    await stop();
    return lastLines;
  };
  let outcome: 'ready' | ExitInfo;
  try {
    outcome = await Promise.race([ready.then(() => 'ready' as const), exited]);
  } catch (err) {
    const lastLines = await giveUp();
    if (err instanceof DevServerNotReadyError) {
      throw new SetupError(
        `The Temporal dev server at ${address} was not ready within ${startTimeoutMs} ms (last check: ${err.lastProblem}). ` +
          `Its last lines of output:\n${lastLines}`,
      );
    }
    throw err;
  }
  if (outcome !== 'ready') {
    const lastLines = await giveUp();
    const how = outcome.error
      ? `could not be started (${outcome.error.message})`
      : `exited early (${outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`})`;
    throw new SetupError(`The Temporal dev server ${how}: \`${formatCommand(cliPath, args)}\`. Its last lines of output:\n${lastLines}`);
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error('The Temporal dev server answered but has no pid');
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${hostPort(connectHost, uiPort)}`,
    namespace,
    pid,
    recentOutput: () => output.lines(),
    stop,
  };
}

/** How the server process ended: an exit code or signal, or an error when it could not be spawned at all. */
interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

function waitForExit(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    // 'close' rather than 'exit': it waits for stdout and stderr to drain, so the last lines
    // (usually the reason it died) are in the tail before anyone reads it.
    child.once('close', (code, signal) => resolve({ code, signal }));
    // A spawn failure (ENOENT, EACCES) emits 'error' and never 'exit'.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

async function choosePort(requested: number | undefined, ip: string, taken: Set<number>, what?: string, envName?: string): Promise<number> {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > 65_535) {
      throw new SetupError(`The ${what ?? 'port'} must be an integer from 1 to 65535, not ${requested}.`);
    }
    if (taken.has(requested) || !(await isPortFree(requested, ip))) {
      throw new SetupError(
        `Port ${requested} on ${ip} (${what ?? 'port'}) is already in use. ` +
          `Set ${envName ?? 'another port'} to a free port, or leave it unset to pick one automatically.`,
      );
    }
    taken.add(requested);
    return requested;
  }
  // The OS may hand back a port we have already chosen but not yet bound; ask again.
  for (;;) {
    const port = await findFreePort(ip);
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

function validateSearchAttributes(attributes: Record<string, string>): Record<string, SearchAttributeTypeName> {
  const types: readonly string[] = Object.values(SearchAttributeTypeName);
  for (const [name, type] of Object.entries(attributes)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new SetupError(`Search attribute name "${name}" is not an identifier (letters, digits and _; not starting with a digit).`);
    }
    if (!types.includes(type)) {
      throw new SetupError(`Search attribute ${name} has type "${type}"; expected one of ${types.join(', ')}.`);
    }
  }
  return attributes as Record<string, SearchAttributeTypeName>;
}

/**
 * Whether a server output line belongs in the caller's log. Structured lines (`level=WARN` or
 * JSON `"level":"warn"`) count at warn and above; an unstructured line on stderr is usually the
 * CLI's own `Error: …` or a Go panic, so it counts too.
 */
function isWorthForwarding(line: string, isStderr: boolean): boolean {
  const level = /\blevel=(\w+)/i.exec(line)?.[1] ?? /"level"\s*:\s*"(\w+)"/i.exec(line)?.[1];
  if (level === undefined) return isStderr && line.trim() !== '';
  return ['warn', 'warning', 'error', 'dpanic', 'panic', 'fatal'].includes(level.toLowerCase());
}

function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
