/**
 * The production-local stack: a Temporal server v1.29.1 (built from its Go module) on PostgreSQL
 * (a cluster of the run's own), with SQL visibility, its namespace and search attributes created by
 * the commands of docs/deployment.md. What the dev server hides — a database that can restart,
 * visibility that lags behind the histories, registration through the operator API — is there.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { waitForDevServer } from '../dev-server-ready';
import { findFreePort, isPortFree } from '../free-port';
import { WXAMP_SEARCH_ATTRIBUTES } from '../search-attributes';
import { SetupError } from '../setup-error';
import { findOrInstallTemporalCli } from '../temporal-cli';
import { namespaceOfCommands, readNamespaceSetupCommands } from './deployment-commands';
import { findPostgresBinDir, POSTGRES_USER, startPostgres, type PostgresCluster } from './postgres';
import { PRODUCTION_LOCAL_DYNAMIC_CONFIG, productionLocalServerConfig, type ServerPorts } from './server-config';
import { TemporalServerProcess } from './temporal-server-process';
import { findOrBuildTemporalServer, type TemporalServerInstall } from './temporal-server-install';

const execFileAsync = promisify(execFile);

/** The databases of one stack: a cluster of its own holds nothing else. */
const DATABASES = { history: 'temporal', visibility: 'temporal_visibility' } as const;
/** History shards: the module's development config has 4; fixed for the life of a database. */
const HISTORY_SHARDS = 4;
/** How long the guide's commands are retried while a just-created namespace propagates. */
const COMMAND_RETRY_MS = 60_000;

/** Options of {@link startProductionLocal}. */
export interface ProductionLocalOptions {
  /** Progress lines (the first build takes minutes). @default stderr */
  log?: (line: string) => void;
}

/** A running production-local stack. */
export interface ProductionLocal {
  /** `127.0.0.1:<port>` of the frontend. */
  readonly address: string;
  /** The namespace the guide's commands created (`wxamp`). */
  readonly namespace: string;
  /** The database: stop it and start it again (the server reconnects by itself). */
  readonly postgres: PostgresCluster;
  /** The server process: kill it and start it again on the same database. */
  readonly server: TemporalServerProcess;
  /** Stops the server and the database and deletes their files. Leaves no process behind. */
  stop(): Promise<void>;
}

/**
 * Builds (first time) and starts the stack, creates the namespace and registers the search
 * attributes by running docs/deployment.md's commands, and resolves once a workflow that sets
 * every wxamp search attribute can be started in the namespace.
 *
 * @throws {@link SetupError} naming what is missing or what failed, with the failing part's output
 */
export async function startProductionLocal(options: ProductionLocalOptions = {}): Promise<ProductionLocal> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binDir = await findPostgresBinDir();
  if (binDir === undefined) {
    throw new SetupError(
      'PostgreSQL is not installed: apt-get install postgresql (Debian, Ubuntu) — `npm run temporal:production-local` installs it when run as root',
    );
  }
  const install = await findOrBuildTemporalServer(log);
  const cliPath = await findOrInstallTemporalCli({ log });
  const commands = await readNamespaceSetupCommands();
  const namespace = namespaceOfCommands(commands);

  const startedAt = Date.now();
  const ports = await choosePorts();
  const postgres = await startPostgres({ binDir, port: ports.postgres, log });
  const rootDir = await mkdtemp(join(tmpdir(), 'wxamp-temporal-server-'));
  const address = `127.0.0.1:${ports.server.frontend}`;
  const server = new TemporalServerProcess({ serverPath: install.serverPath, rootDir, configName: 'production-local', address, log });
  const stop = async (): Promise<void> => {
    await server.stop();
    await postgres.destroy();
    await rm(rootDir, { recursive: true, force: true });
  };
  try {
    log('Creating the databases and their schemas (temporal-sql-tool)…');
    await createSchemas(install, postgres.port);
    await writeServerConfig(rootDir, ports.server, postgres.port);
    log(`Starting the Temporal server on ${address} (PostgreSQL persistence and visibility)…`);
    await server.start();
    log(`Creating namespace ${namespace} and its search attributes with docs/deployment.md's commands…`);
    for (const words of commands) await runGuideCommand(cliPath, words, address, log);
    await waitUntilUsable(address, namespace);
    log(`Production-local Temporal ready at ${address}, namespace ${namespace} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    return { address, namespace, postgres, server, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The server's membership ports are stored in a PostgreSQL `smallint`: they must be below 32768,
 * where the OS hands out no ephemeral ports, so those are drawn at random from this range.
 */
const MEMBERSHIP_PORT_RANGE = { from: 20_000, to: 32_767 } as const;

async function choosePorts(): Promise<{ postgres: number; server: ServerPorts }> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await findFreePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const nextMembership = async (): Promise<number> => {
    for (;;) {
      const port = MEMBERSHIP_PORT_RANGE.from + Math.floor(Math.random() * (MEMBERSHIP_PORT_RANGE.to - MEMBERSHIP_PORT_RANGE.from + 1));
      if (!taken.has(port) && (await isPortFree(port))) {
        taken.add(port);
        return port;
      }
    }
  };
  const postgres = await next();
  const server: ServerPorts = {
    frontend: await next(),
    frontendHttp: await next(),
    history: await next(),
    matching: await next(),
    worker: await next(),
    frontendMembership: await nextMembership(),
    historyMembership: await nextMembership(),
    matchingMembership: await nextMembership(),
    workerMembership: await nextMembership(),
  };
  return { postgres, server };
}

/** Both databases, their base schemas and every versioned update, as the server's own docs do it. */
async function createSchemas(install: TemporalServerInstall, postgresPort: number): Promise<void> {
  const connection = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(postgresPort), '-u', POSTGRES_USER];
  const steps: Array<[database: string, versionedDir: string]> = [
    [DATABASES.history, join(install.schemaDir, 'temporal', 'versioned')],
    [DATABASES.visibility, join(install.schemaDir, 'visibility', 'versioned')],
  ];
  for (const [database, versionedDir] of steps) {
    for (const step of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', versionedDir]]) {
      try {
        await execFileAsync(install.sqlToolPath, [...connection, '--db', database, ...step], { timeout: 120_000 });
      } catch (error) {
        const { stderr, stdout } = error as { stderr?: string; stdout?: string };
        throw new SetupError(
          `temporal-sql-tool ${step[0]} of ${database} failed:\n${(stderr || stdout || String(error)).trim().split('\n').slice(-10).join('\n')}`,
        );
      }
    }
  }
}

async function writeServerConfig(rootDir: string, ports: ServerPorts, postgresPort: number): Promise<void> {
  const configDir = join(rootDir, 'config');
  await mkdir(configDir, { recursive: true });
  const dynamicConfigPath = join(configDir, 'dynamicconfig.yaml');
  await writeFile(dynamicConfigPath, `${JSON.stringify(PRODUCTION_LOCAL_DYNAMIC_CONFIG, null, 2)}\n`);
  const config = productionLocalServerConfig({
    ports,
    postgresPort,
    databaseUser: POSTGRES_USER,
    database: DATABASES.history,
    visibilityDatabase: DATABASES.visibility,
    dynamicConfigPath,
    historyShards: HISTORY_SHARDS,
  });
  await writeFile(join(configDir, 'production-local.yaml'), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Runs one of the guide's commands as written, the server's address in TEMPORAL_ADDRESS (which
 * the CLI reads). Retried for a minute: a namespace just created reaches every service of the
 * server only after its namespace cache refreshes.
 */
async function runGuideCommand(cliPath: string, words: readonly string[], address: string, log: (line: string) => void): Promise<void> {
  log(`  $ temporal ${words.join(' ')}`);
  const deadline = Date.now() + COMMAND_RETRY_MS;
  for (;;) {
    try {
      const { stdout } = await execFileAsync(cliPath, words, { timeout: 30_000, env: { ...process.env, TEMPORAL_ADDRESS: address } });
      for (const line of stdout.trim().split('\n')) if (line.trim() !== '') log(`    ${line}`);
      return;
    } catch (error) {
      const output = ((error as { stderr?: string }).stderr ?? String(error)).trim();
      if (Date.now() > deadline) throw new SetupError(`\`temporal ${words.join(' ')}\` (from docs/deployment.md) failed:\n${output}`);
      await sleep(1_000);
    }
  }
}

/**
 * Waits until the namespace lists every wxamp search attribute and accepts a workflow start that
 * sets them all: registration reaches the frontend's cache a moment after the operator API
 * answers, and a link started before that would fail its first task.
 */
async function waitUntilUsable(address: string, namespace: string): Promise<void> {
  const names = Object.keys(WXAMP_SEARCH_ATTRIBUTES);
  await waitForDevServer({ address, namespace, searchAttributeNames: names, deadline: Date.now() + COMMAND_RETRY_MS, signal: new AbortController().signal });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const deadline = Date.now() + COMMAND_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const handle = await client.workflow.start('wxampProductionLocalProbe', {
          taskQueue: 'wxamp-production-local-probe',
          workflowId: `wxamp-production-local-probe-${attempt}`,
          typedSearchAttributes: names.map((name) => ({ key: defineSearchAttributeKey(name, SearchAttributeType.KEYWORD), value: 'probe' })),
        });
        await handle.terminate('production-local: search attributes usable');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new SetupError(`Namespace ${namespace} does not accept its search attributes yet: ${(error as Error).message}`);
        await sleep(1_000);
      }
    }
  } finally {
    await connection.close();
  }
}
