import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { withDirLock } from './dir-lock';
import { SetupError } from './setup-error';
import { executableName } from './go-install';
import { buildTemporalCli } from './temporal-cli-build';
import { TEMPORAL_CLI_PIN } from './temporal-cli-pin';

const execFileAsync = promisify(execFile);

/** Options for {@link findOrInstallTemporalCli}. */
export interface FindTemporalCliOptions {
  /**
   * Receives progress lines, which matter when the CLI has to be built (that takes minutes).
   * @default writes to stderr, so that stdout stays free for a caller's own output
   */
  log?: (line: string) => void;
}

/**
 * Finds a working `temporal` binary, building the pinned version ({@link TEMPORAL_CLI_PIN})
 * with Go the first time none is found, and returns its absolute path.
 *
 * Looks, in order, at:
 * 1. `TEMPORAL_CLI_PATH`, which must name an executable file (an explicit choice is never
 *    silently replaced by another binary);
 * 2. `temporal` on `PATH`, if `temporal --version` runs;
 * 3. the cache, {@link temporalCliCachePath};
 * 4. otherwise builds into the cache, one process at a time (see {@link buildTemporalCli}).
 *
 * @throws {@link SetupError} for anything a person has to fix (bad `TEMPORAL_CLI_PATH`, no Go, a failed build)
 */
export async function findOrInstallTemporalCli(options: FindTemporalCliOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));

  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const path = resolve(explicit);
    if (!(await isExecutableFile(path))) {
      throw new SetupError(`TEMPORAL_CLI_PATH is set to "${explicit}", which is not an executable file.`);
    }
    return path;
  }

  const onPath = await findOnPath(executableName('temporal'));
  if (onPath) {
    if (await runsVersion(onPath)) return onPath;
    log(`Ignoring ${onPath}: \`temporal --version\` did not run.`);
  }

  const cached = temporalCliCachePath();
  if (await isWorkingBinary(cached)) return cached;

  const cacheRoot = wxampCacheDir();
  await mkdir(cacheRoot, { recursive: true });
  const lockDir = join(cacheRoot, `temporal-cli-${TEMPORAL_CLI_PIN.version}.lock`);
  await withDirLock(
    lockDir,
    async () => {
      // Whoever held the lock before us may have just built it.
      if (await isWorkingBinary(cached)) return;
      await buildTemporalCli({ destination: cached, log });
    },
    { onWait: (owner) => log(`Another process (${owner}) is building the Temporal CLI; waiting for it (lock: ${lockDir})…`) },
  );
  if (!(await runsVersion(cached))) {
    throw new SetupError(`The Temporal CLI built at ${cached} does not run (\`temporal --version\` failed); delete it to rebuild.`);
  }
  return cached;
}

/**
 * The directory where this project caches tools: `WXAMP_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/wxamp-link`, else `~/.cache/wxamp-link`.
 */
export function wxampCacheDir(): string {
  // Empty values count as unset, as the XDG spec asks, rather than meaning the current directory.
  const explicit = process.env.WXAMP_CACHE_DIR;
  if (explicit) return resolve(explicit);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'wxamp-link');
}

/**
 * Where the pinned CLI is cached: a directory per version, so that bumping
 * {@link TEMPORAL_CLI_PIN} builds afresh instead of reusing an older binary.
 */
export function temporalCliCachePath(): string {
  return join(wxampCacheDir(), `temporal-cli-${TEMPORAL_CLI_PIN.version}`, executableName('temporal'));
}

/** The first executable called `name` on `PATH` (or `name` itself when it is a path), if any. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = resolve(dir, name);
    // Only the first match counts, as in a shell: a later one is not what `temporal` means here.
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isWorkingBinary(path: string): Promise<boolean> {
  return (await isExecutableFile(path)) && (await runsVersion(path));
}

/** Whether `path` is a file this process may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function runsVersion(path: string): Promise<boolean> {
  try {
    await execFileAsync(path, ['--version'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
