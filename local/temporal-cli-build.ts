import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { formatCommand } from './format-command';
import { LineTail } from './line-tail';
import { SetupError } from './setup-error';
import { TEMPORAL_CLI_PIN } from './temporal-cli-pin';

const execFileAsync = promisify(execFile);

/** Options for {@link buildTemporalCli}. */
export interface BuildTemporalCliOptions {
  /** Where the binary ends up. Its directory is created; the binary appears there whole or not at all. */
  destination: string;
  /** Receives what the build is doing: a start line, progress every 10 s, the time it took. */
  log: (line: string) => void;
  /** How often to report progress. @default 10 seconds */
  progressIntervalMs?: number;
}

const GO_MISSING_MESSAGE =
  'The Temporal CLI was not found and Go is not installed to build it: install Go 1.25 or newer ' +
  '(https://go.dev/dl/; an older Go 1.21+ fetches the toolchain it needs through GOPROXY), ' +
  'put a temporal binary on PATH, or set TEMPORAL_CLI_PATH to one.';

/**
 * Said when a build fails: nearly always the module download, which goes through `GOPROXY` (the
 * build passes the environment on to go). Where the default proxy is out of reach, a mirror is.
 */
export const GOPROXY_HINT =
  'If Go could not download modules (timeouts, "dial tcp", proxy.golang.org in the lines above), ' +
  'point GOPROXY at a module mirror you can reach and run again, for example in mainland China: ' +
  'GOPROXY=https://goproxy.cn,direct npm test';

/**
 * Builds the pinned Temporal CLI ({@link TEMPORAL_CLI_PIN}) from source with `go install` and
 * moves it to `destination`.
 *
 * Go writes into a private temporary `GOBIN` beside the destination, and the finished binary
 * is renamed into place: a rename within one file system is atomic, so a build that is killed
 * half-way never leaves a truncated `temporal` where the next run would pick it up. The caller
 * is expected to hold a lock so that two processes do not build at once.
 *
 * @throws {@link SetupError} when Go is missing or the build fails (with Go's last lines of output)
 */
export async function buildTemporalCli(options: BuildTemporalCliOptions): Promise<void> {
  const { destination, log, progressIntervalMs = 10_000 } = options;
  await assertGoInstalled();

  const targetDir = dirname(destination);
  const workRoot = dirname(targetDir);
  await mkdir(targetDir, { recursive: true });
  const buildPrefix = `${basename(targetDir)}.build-`;
  await removeLeftoverBuildDirs(workRoot, buildPrefix);
  const gobin = await mkdtemp(join(workRoot, buildPrefix));

  const { version, mainPackage, versionVariable } = TEMPORAL_CLI_PIN;
  // -v makes go name each package as it compiles it, which is how progress is counted.
  // -s -w (no symbol table or DWARF) as in the upstream release build: 40 MB less of a 250 MB
  // binary, and panics still name their functions.
  const args = ['install', '-v', '-ldflags', `-s -w -X ${versionVariable}=${version}`, `${mainPackage}@v${version}`];
  log(`Building the Temporal CLI v${version} with Go into ${targetDir} — the first build takes a few minutes…`);

  const startedAt = Date.now();
  try {
    await runGoInstall(args, gobin, log, progressIntervalMs, startedAt);
    const built = join(gobin, executableName('temporal'));
    await rename(built, destination);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
  log(`Built in ${formatElapsed(Date.now() - startedAt)}`);
}

async function assertGoInstalled(): Promise<void> {
  try {
    // The environment passed explicitly, as for the build itself: the same `go` must answer both.
    await execFileAsync('go', ['version'], { timeout: 30_000, env: process.env });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SetupError(GO_MISSING_MESSAGE);
    throw new SetupError(`\`go version\` failed, so the Temporal CLI cannot be built: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Build directories are private to one build; any found while we hold the build lock belong to
 * a build that was killed, so they are rubbish.
 */
async function removeLeftoverBuildDirs(workRoot: string, prefix: string): Promise<void> {
  const entries = await readdir(workRoot);
  await Promise.all(entries.filter((name) => name.startsWith(prefix)).map((name) => rm(join(workRoot, name), { recursive: true, force: true })));
}

function runGoInstall(args: string[], gobin: string, log: (line: string) => void, progressIntervalMs: number, startedAt: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // CGO_ENABLED=0 as in the upstream release build: the CLI's SQLite driver is pure Go, and a
    // static binary keeps working if the cache directory is shared with another machine or image.
    const child = spawn('go', args, {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = new LineTail(20);
    let packages = 0;
    const onLine = (line: string): void => {
      tail.push(line);
      // With -v go prints a bare import path per package compiled; errors and "# pkg" headers contain other characters.
      if (/^[\w.~+-]+(\/[\w.~+-]+)*$/.test(line)) packages += 1;
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);

    const progress = setInterval(() => {
      log(`  …still building: ${formatElapsed(Date.now() - startedAt)} elapsed, ${packages} packages compiled so far`);
    }, progressIntervalMs);
    progress.unref();

    child.once('error', (err) => {
      clearInterval(progress);
      reject(new SetupError(`Could not run go: ${err.message}`, { cause: err }));
    });
    child.once('close', (code, signal) => {
      clearInterval(progress);
      if (code === 0) {
        resolve();
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(
        new SetupError(
          `Building the Temporal CLI failed: \`${formatCommand('go', args)}\` ${how}` +
            `${process.env.GOPROXY ? ` (GOPROXY=${process.env.GOPROXY})` : ''}. Its last lines of output:\n${tail.format()}\n${GOPROXY_HINT}`,
        ),
      );
    });
  });
}

/** The file name of an executable on this platform (Go adds `.exe` on Windows). */
export function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

/** Formats a duration as people read it in a terminal: `42s`, `2m14s`, `1h03m07s`. */
export function formatElapsed(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`;
  return `${seconds}s`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
