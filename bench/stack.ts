/**
 * The infrastructure every phase shares: a Temporal dev server started here (unless `--address`
 * names a running one), the HTTP WeChat simulator in this process, and the connections to
 * Temporal. The server is our own by default so that figures from different runs compare.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { FINE_TIMERS_DYNAMIC_CONFIG, startDevServer, type DevServer } from '../local/dev-server';
import { scratchParentDir } from '../local/scratch-dir';
import { WXAMP_SEARCH_ATTRIBUTES } from '../local/search-attributes';
import { findOrInstallTemporalCli } from '../local/temporal-cli';
import { startWeChatSimulator, type WeChatSimulator, type WeChatSimulatorOptions } from '../simulator';

/** Options of {@link startBenchStack}. */
export interface BenchStackOptions {
  /** A running Temporal frontend to use instead of starting a dev server. @default start one */
  address?: string;
  /** @default 'default' */
  namespace?: string;
  /**
   * Keep the dev server's SQLite database on tmpfs (/dev/shm) when there is one. On a VM disk
   * every fsync costs ~10 ms and the single SQLite writer then caps the whole server at about a
   * hundred writes a second: the bench would measure the disk, not the workflows. @default true
   */
  memoryDatabase?: boolean;
  /** Receives progress lines. */
  log: (line: string) => void;
  /** How the simulator behaves (e.g. admins who act at random times). @default admins never act unless a phase plays them */
  simulator?: WeChatSimulatorOptions;
}

/** What the phases run against. */
export interface BenchStack {
  address: string;
  namespace: string;
  /** True when this run started the server, so whatever is left on it dies with it. */
  ownServer: boolean;
  /** Where the dev server keeps its database: 'tmpfs', 'disk', or 'external' (`--address`). */
  database: 'tmpfs' | 'disk' | 'external';
  simulator: WeChatSimulator;
  /** For starting, querying and listing workflows. */
  client: Client;
  /** For in-process workers. */
  nativeConnection: NativeConnection;
  /** Stops everything this run started. Safe to call twice. */
  close(): Promise<void>;
}

let runtimeInstalled = false;
/**
 * The bench's dev server: timers that fire on time (scaled-down polls, see local/dev-server.ts),
 * and one partition per task queue. With the default four, a worker's few pollers wait on some
 * partitions while tasks land on others and sit in the backlog: the no-op start rate drops from
 * ~170/s to ~35/s, and the bench would measure that instead of the workflows.
 */
export const BENCH_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  ...FINE_TIMERS_DYNAMIC_CONFIG,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

/** Starts (or connects to) Temporal and starts the simulator. */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  if (!runtimeInstalled) {
    // The SDK logs every worker start and shutdown at INFO; the bench prints its own progress.
    Runtime.install({ logger: new DefaultLogger('WARN', (entry) => options.log(`  [sdk ${entry.level}] ${entry.message}`)), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const namespace = options.namespace ?? 'default';
  let server: DevServer | undefined;
  let databaseDir: string | undefined;
  if (options.address === undefined) {
    const cliPath = await findOrInstallTemporalCli({ log: (line) => options.log(`  ${line}`) });
    // In shared memory unless asked otherwise: the dev server's default place (scratch-dir.ts).
    if (!(options.memoryDatabase ?? true)) {
      const dir = await mkdtemp(join(tmpdir(), 'wxamp-bench-'));
      databaseDir = dir;
      // A run that dies without close() must not leave its database behind.
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    server = await startDevServer({
      cliPath,
      headless: true,
      namespace,
      ...(databaseDir !== undefined && { dbFilename: join(databaseDir, 'temporal.db') }),
      searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
      dynamicConfig: BENCH_DYNAMIC_CONFIG,
    });
  }
  const address = server?.address ?? options.address;
  if (address === undefined) throw new Error('no Temporal address');
  const simulator = await startWeChatSimulator(options.simulator);
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  let closed: Promise<void> | undefined;
  return {
    address,
    namespace,
    ownServer: server !== undefined,
    database: server === undefined ? 'external' : databaseDir !== undefined || scratchParentDir() !== '/dev/shm' ? 'disk' : 'tmpfs',
    simulator,
    client,
    nativeConnection,
    close: () =>
      (closed ??= (async () => {
        await nativeConnection.close().catch(() => undefined);
        await connection.close().catch(() => undefined);
        await simulator.close().catch(() => undefined);
        await server?.stop();
        if (databaseDir !== undefined) await rm(databaseDir, { recursive: true, force: true });
      })()),
  };
}
