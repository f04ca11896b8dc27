/**
 * A PostgreSQL cluster of the production-local stack's own: Debian's PostgreSQL binaries, a data
 * directory made for the run, a free port on 127.0.0.1, trust authentication for the local user
 * `temporal`. It never touches the machine's own clusters, and it can be stopped and started again
 * on the same data (the reliability scenario that restarts the database does exactly that).
 */
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scratchParentDir } from '../scratch-dir';
import { SetupError } from '../setup-error';
import { isExecutableFile } from '../temporal-cli';

const execFileAsync = promisify(execFile);

/** The database user the server connects as (trust authentication: a cluster of the run's own on 127.0.0.1). */
export const POSTGRES_USER = 'temporal';

/** Where Debian puts each major version's server programs. */
const DEBIAN_POSTGRES_LIB = '/usr/lib/postgresql';

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`: Debian's newest
 * `/usr/lib/postgresql/<major>/bin`, else `pg_config --bindir`; undefined when neither has them.
 */
export async function findPostgresBinDir(): Promise<string | undefined> {
  const majors = await readdir(DEBIAN_POSTGRES_LIB).catch(() => [] as string[]);
  const candidates = majors
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(DEBIAN_POSTGRES_LIB, major, 'bin'));
  const fromPgConfig = await execFileAsync('pg_config', ['--bindir'], { timeout: 10_000 })
    .then(({ stdout }) => stdout.trim())
    .catch(() => undefined);
  if (fromPgConfig) candidates.push(fromPgConfig);
  for (const dir of candidates) {
    if (await isExecutableFile(join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

/** Options of {@link startPostgres}. */
export interface PostgresOptions {
  /** From {@link findPostgresBinDir}. */
  binDir: string;
  /** The port on 127.0.0.1. */
  port: number;
  log: (line: string) => void;
}

/** A running cluster of the run's own. */
export interface PostgresCluster {
  readonly port: number;
  readonly dataDir: string;
  /** `pg_ctl stop -m fast`: clients are disconnected, the data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same data and port. */
  start(): Promise<void>;
  /** Stops it (when running) and deletes its data. */
  destroy(): Promise<void>;
  /** The last lines of its log, for error messages. */
  logTail(): Promise<string>;
}

/**
 * Creates a cluster in a new temporary directory and starts it.
 *
 * PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user and
 * its programs run through `runuser`; as anyone else, to that user.
 *
 * @throws {@link SetupError} when the cluster cannot be created or started (with its log)
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresCluster> {
  const { binDir, port, log } = options;
  // In shared memory where there is some: PostgreSQL's fsyncs then cost nothing (see scratch-dir.ts).
  const root = await mkdtemp(join(scratchParentDir(), 'wxamp-postgres-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'postgres.log');
  await mkdir(socketDir);
  const owner = await clusterOwner();
  if (owner !== null) {
    await chown(root, owner.uid, owner.gid);
    await chown(socketDir, owner.uid, owner.gid);
  }
  const run = async (program: string, args: readonly string[]): Promise<void> => {
    const command = owner === null ? [join(binDir, program), ...args] : [owner.runuser, '-u', owner.name, '--', join(binDir, program), ...args];
    await execFileAsync(command[0] as string, command.slice(1), { timeout: 120_000 });
  };
  const logTail = async (): Promise<string> =>
    (await readFile(logFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-15)
      .join('\n');
  const pgCtl = async (action: 'start' | 'stop'): Promise<void> => {
    try {
      if (action === 'start') {
        const serverOptions = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
        await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
      } else {
        await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
      }
    } catch (error) {
      throw new SetupError(`PostgreSQL (${dataDir}, port ${port}) did not ${action}: ${(error as Error).message.trim()}\nIts log:\n${await logTail()}`, {
        cause: error,
      });
    }
  };

  log(`PostgreSQL: a cluster of this run's own in ${dataDir}, port ${port}…`);
  try {
    // --no-sync: a throw-away cluster need not wait for the disk while it is created.
    await run('initdb', ['-D', dataDir, '-U', POSTGRES_USER, '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw new SetupError(`PostgreSQL's initdb failed in ${dataDir}: ${(error as Error).message.trim()}`, { cause: error });
  }
  let running = false;
  // pg_ctl leaves PostgreSQL running in the background, not as our child: if this process exits
  // without destroy() (a second Ctrl-C, a crash), the hook stops it, synchronously as 'exit' needs.
  const onParentExit = (): void => {
    if (running) {
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      const command = owner === null ? [join(binDir, 'pg_ctl'), ...args] : [owner.runuser, '-u', owner.name, '--', join(binDir, 'pg_ctl'), ...args];
      try {
        execFileSync(command[0] as string, command.slice(1), { stdio: 'ignore', timeout: 30_000 });
      } catch {
        // Nothing more can be done while exiting.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onParentExit);
  const cluster: PostgresCluster = {
    port,
    dataDir,
    stop: async () => {
      await pgCtl('stop');
      running = false;
    },
    start: async () => {
      await pgCtl('start');
      running = true;
    },
    destroy: async () => {
      if (running) await cluster.stop().catch(() => undefined);
      process.off('exit', onParentExit);
      await rm(root, { recursive: true, force: true });
    },
    logTail,
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/** Where util-linux puts `runuser`: in sbin, which a root shell has on PATH and CI's may not. */
const RUNUSER_CANDIDATES = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser', '/bin/runuser'];

/** Debian's `postgres` user when this process is root (PostgreSQL will not run as root), and `runuser` to become it; null otherwise. */
async function clusterOwner(): Promise<{ name: string; uid: number; gid: number; runuser: string } | null> {
  if (process.getuid?.() !== 0) return null;
  let runuser: string | undefined;
  for (const candidate of RUNUSER_CANDIDATES) {
    if (await isExecutableFile(candidate)) {
      runuser = candidate;
      break;
    }
  }
  if (runuser === undefined) throw new SetupError(`PostgreSQL cannot run as root, and runuser (util-linux) was not found in ${RUNUSER_CANDIDATES.join(', ')}.`);
  try {
    const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim())));
    return { name: 'postgres', uid: uid as number, gid: gid as number, runuser };
  } catch {
    throw new SetupError(
      "PostgreSQL cannot run as root, and there is no `postgres` user to run it as: install Debian's package (apt-get install postgresql), which creates it.",
    );
  }
}
