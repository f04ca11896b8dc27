/**
 * `go install` of pinned Go programs into the project's cache, with progress: how the Temporal
 * CLI (temporal-cli-build.ts) and the Temporal server of the production-local stack
 * (production-local/temporal-server-install.ts) are provisioned on a machine that has Go and a
 * module proxy, and no way to download release binaries.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { formatCommand } from './format-command';
import { LineTail } from './line-tail';
import { SetupError } from './setup-error';

const execFileAsync = promisify(execFile);

/**
 * Said when a build fails: nearly always the module download, which goes through `GOPROXY` (the
 * build passes the environment on to go). Where the default proxy is out of reach, a mirror is.
 */
export const GOPROXY_HINT =
  'If Go could not download modules (timeouts, "dial tcp", proxy.golang.org in the lines above), ' +
  'point GOPROXY at a module mirror you can reach and run again, for example in mainland China: ' +
  'GOPROXY=https://goproxy.cn,direct npm test';

/** What to build, and where the programs go. */
export interface GoInstallOptions {
  /** What is built, as the progress lines name it: `the Temporal CLI v1.5.1`. */
  what: string;
  /** The arguments after `go install -v`: flags, then `package@version`s of one module. */
  args: readonly string[];
  /** The directory the programs end up in. It is created; each program appears there whole or not at all. */
  targetDir: string;
  /** Go's name of each program built (the package's last element) → its file name in {@link targetDir}. */
  programs: Readonly<Record<string, string>>;
  /** Said when `go` is missing: what to install, or what to provide instead. */
  goMissingMessage: string;
  /** Receives a start line, progress every {@link progressIntervalMs}, and the time it took. */
  log: (line: string) => void;
  /** @default 10 seconds */
  progressIntervalMs?: number;
}

/**
 * Runs `go install -v …` and moves the programs into `targetDir`.
 *
 * Go writes into a private temporary `GOBIN` beside the target, and each finished program is
 * renamed into place: a rename within one file system is atomic, so a build that is killed half-way
 * never leaves a truncated binary where the next run would pick it up. The caller is expected to
 * hold a lock so that two processes do not build at once.
 *
 * @throws {@link SetupError} when Go is missing or the build fails (with Go's last lines of output)
 */
export async function goInstall(options: GoInstallOptions): Promise<void> {
  const { what, targetDir, log, progressIntervalMs = 10_000 } = options;
  await assertGoInstalled(options.goMissingMessage, what);
  const workRoot = join(targetDir, '..');
  await mkdir(targetDir, { recursive: true });
  const buildPrefix = `${basename(targetDir)}.build-`;
  await removeLeftoverBuildDirs(workRoot, buildPrefix);
  const gobin = await mkdtemp(join(workRoot, buildPrefix));

  const args = ['install', '-v', ...options.args];
  log(`Building ${what} with Go into ${targetDir} — the first build takes a few minutes…`);
  const startedAt = Date.now();
  try {
    await runGo(args, gobin, what, log, progressIntervalMs, startedAt);
    for (const [built, name] of Object.entries(options.programs)) {
      await rename(join(gobin, executableName(built)), join(targetDir, name));
    }
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
  log(`Built in ${formatElapsed(Date.now() - startedAt)}`);
}

/** `go env NAME`, e.g. GOMODCACHE: where `go install` left the module's source. */
export async function goEnv(name: string): Promise<string> {
  const { stdout } = await execFileAsync('go', ['env', name], { timeout: 30_000, env: process.env });
  return stdout.trim();
}

async function assertGoInstalled(goMissingMessage: string, what: string): Promise<void> {
  try {
    // The environment passed explicitly, as for the build itself: the same `go` must answer both.
    await execFileAsync('go', ['version'], { timeout: 30_000, env: process.env });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SetupError(goMissingMessage);
    throw new SetupError(`\`go version\` failed, so ${what} cannot be built: ${(err as Error).message}`, { cause: err });
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

function runGo(args: string[], gobin: string, what: string, log: (line: string) => void, progressIntervalMs: number, startedAt: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // CGO_ENABLED=0 as in the upstream release builds: the programs' SQL drivers are pure Go, and
    // a static binary keeps working if the cache directory is shared with another machine or image.
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
          `Building ${what} failed: \`${formatCommand('go', args)}\` ${how}` +
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
