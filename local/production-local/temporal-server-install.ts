/**
 * Finds the production-local stack's Temporal server, its SQL schema tool and the PostgreSQL schema
 * in the project's cache, or builds them there from the pinned Go module (as the Temporal CLI is
 * built: this machine reaches Go's module proxy, not release downloads).
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, cp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withDirLock } from '../dir-lock';
import { executableName, goEnv, goInstall } from '../go-install';
import { SetupError } from '../setup-error';
import { wxampCacheDir } from '../temporal-cli';
import { TEMPORAL_SERVER_PIN } from './temporal-server-pin';

const execFileAsync = promisify(execFile);

/** What the stack runs: absolute paths. */
export interface TemporalServerInstall {
  /** `temporal-server` (the module's `cmd/server`). */
  serverPath: string;
  /** `temporal-sql-tool` (the module's `cmd/tools/sql`): creates the databases and their schemas. */
  sqlToolPath: string;
  /** The module's `schema/postgresql/v12`, copied beside the binaries (Go's module cache may be cleaned). */
  schemaDir: string;
}

/** The cache directory of the pinned server: `~/.cache/wxamp-link/temporal-server-1.29.1/`. */
export function temporalServerCacheDir(): string {
  return join(wxampCacheDir(), `temporal-server-${TEMPORAL_SERVER_PIN.version}`);
}

function installAt(dir: string): TemporalServerInstall {
  return {
    serverPath: join(dir, executableName('temporal-server')),
    sqlToolPath: join(dir, executableName('temporal-sql-tool')),
    schemaDir: join(dir, TEMPORAL_SERVER_PIN.postgresSchemaDir),
  };
}

const GO_MISSING_MESSAGE =
  `The Temporal server v${TEMPORAL_SERVER_PIN.version} of the production-local stack is built with Go, which is not installed: ` +
  'install Go 1.24 or newer (https://go.dev/dl/; an older Go 1.21+ fetches the toolchain it needs through GOPROXY).';

/**
 * The cached server, tool and schema; built (one process at a time) when any of them is missing or
 * does not run. The first build takes a few minutes and says so, with progress every 10 s.
 *
 * @throws {@link SetupError} when Go is missing or the build fails
 */
export async function findOrBuildTemporalServer(log: (line: string) => void): Promise<TemporalServerInstall> {
  const dir = temporalServerCacheDir();
  const install = installAt(dir);
  if (await isComplete(install)) return install;
  const lockDir = `${dir}.lock`;
  await withDirLock(
    lockDir,
    async () => {
      if (await isComplete(install)) return;
      const { version, packages } = TEMPORAL_SERVER_PIN;
      await goInstall({
        what: `the Temporal server v${version} and its SQL tool`,
        // Without -X of the server's version: the server reports the version compiled into its module.
        args: ['-ldflags', '-s -w', `${packages.server}@v${version}`, `${packages.sql}@v${version}`],
        targetDir: dir,
        programs: { server: executableName('temporal-server'), sql: executableName('temporal-sql-tool') },
        goMissingMessage: GO_MISSING_MESSAGE,
        log,
      });
      await copySchema(install.schemaDir);
    },
    { onWait: (owner) => log(`Another process (${owner}) is building the Temporal server; waiting for it (lock: ${lockDir})…`) },
  );
  if (!(await isComplete(install))) {
    throw new SetupError(`The Temporal server built in ${dir} is incomplete or does not run; delete the directory to rebuild.`);
  }
  return install;
}

/** Copies the module's PostgreSQL schema out of Go's module cache, where `go install` left it. */
async function copySchema(destination: string): Promise<void> {
  const { module, version, postgresSchemaDir } = TEMPORAL_SERVER_PIN;
  const source = join(await goEnv('GOMODCACHE'), `${module}@v${version}`, postgresSchemaDir);
  await cp(source, destination, { recursive: true });
  // The module cache is read-only; the copy must not be, or the cache could not be deleted.
  await makeWritable(destination);
}

async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.isDirectory() ? 0o755 : 0o644);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}

async function isComplete(install: TemporalServerInstall): Promise<boolean> {
  try {
    await access(install.serverPath, constants.X_OK);
    await access(install.sqlToolPath, constants.X_OK);
    await access(join(install.schemaDir, 'temporal', 'versioned'));
    await access(join(install.schemaDir, 'visibility', 'versioned'));
    await execFileAsync(install.sqlToolPath, ['--version'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
