/**
 * What `npm start`, `npm test` and the other suites need beyond npm packages, found or provided
 * before anything runs: a supported Node, the Temporal CLI (found, or built with Go, with
 * progress), redis-server for the tests of the shared token cache, Chromium for the browser test.
 * What can be installed here is installed (Debian's packages, as root with apt); everything else
 * is named once, up front, with the command that installs it.
 */
import { spawnSync } from 'node:child_process';
import { SetupError } from './setup-error';
import { findPostgresBinDir } from './production-local/postgres';
import { findOrBuildTemporalServer } from './production-local/temporal-server-install';
import { TEMPORAL_SERVER_PIN } from './production-local/temporal-server-pin';
import { startsOnlyTheWorker } from './start-mode';
import { findOrInstallTemporalCli, findOnPath } from './temporal-cli';

/**
 * What a command needs: `start` the local stack, `test` the jest suite, `e2e` the browser test,
 * `production-local` the Temporal server on PostgreSQL.
 */
export type Purpose = 'start' | 'test' | 'reliability' | 'e2e' | 'production-local';

/** The Node versions the project supports (package.json `engines` says the same). */
export const SUPPORTED_NODE = {
  text: '20.19+, 22.12+ or 24',
  ranges: [
    [20, 19],
    [22, 12],
    [24, 0],
  ] as const,
};

/** One prerequisite that is missing, and how a person gets it. */
export interface Missing {
  what: string;
  install: string;
}

/** A Debian package the suites can install themselves (as root, with apt). */
interface AptTool {
  what: string;
  /** The program whose presence on PATH says the package is installed… */
  command: string;
  /** …unless the package puts its programs elsewhere: then this says whether it is installed. */
  isInstalled?: () => Promise<boolean>;
  aptPackage: string;
  otherwise: string;
  neededFor: readonly Purpose[];
}

const APT_TOOLS: readonly AptTool[] = [
  {
    what: 'redis-server (the shared token-cache tests start their own)',
    command: 'redis-server',
    aptPackage: 'redis-server',
    otherwise: 'apt-get install redis-server (Debian, Ubuntu) · brew install redis (macOS)',
    neededFor: ['test'],
  },
  {
    what: 'Chromium (the browser test drives the Web UI and the simulator page)',
    command: process.env.CHROMIUM_PATH || 'chromium',
    aptPackage: 'chromium',
    otherwise: 'apt-get install chromium (Debian) · or set CHROMIUM_PATH to a Chromium or Chrome binary',
    neededFor: ['e2e'],
  },
  {
    what: "PostgreSQL (the production-local Temporal server's database)",
    command: 'initdb',
    // Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<major>/bin, off PATH.
    isInstalled: async () => (await findPostgresBinDir()) !== undefined,
    aptPackage: 'postgresql',
    otherwise: 'apt-get install postgresql (Debian, Ubuntu)',
    neededFor: ['production-local'],
  },
];

/**
 * Finds or provides everything `purpose` needs, printing progress with `log`.
 * @throws {@link SetupError} listing every missing prerequisite with its install command
 */
export async function ensurePrerequisites(purpose: Purpose, log: (line: string) => void): Promise<void> {
  const missing: Missing[] = [];
  const node = nodeProblem(process.versions.node);
  if (node) missing.push(node);
  for (const tool of APT_TOOLS.filter((candidate) => candidate.neededFor.includes(purpose))) {
    const problem = await findOrInstallWithApt(tool, log);
    if (problem) missing.push(problem);
  }
  // Last: the one that may take minutes (a Go build) should not delay the list of what is missing.
  // Without a Temporal to start (a test server named, or npm start running only the worker against
  // real settings) no Temporal CLI is needed, so none is built.
  const startsNoTemporal = Boolean(process.env.TEMPORAL_TEST_ADDRESS) || (purpose === 'start' && startsOnlyTheWorker(process.env));
  if (missing.length === 0 && !startsNoTemporal) {
    try {
      await findOrInstallTemporalCli({ log });
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      missing.push({ what: 'the Temporal CLI', install: error.message });
    }
  }
  if (missing.length === 0 && purpose === 'production-local') {
    try {
      await findOrBuildTemporalServer(log);
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      missing.push({ what: `the Temporal server v${TEMPORAL_SERVER_PIN.version}`, install: error.message });
    }
  }
  if (missing.length > 0) throw new SetupError(describeMissing(missing));
}

/** Why this Node will not do, or null when it is supported. */
export function nodeProblem(version: string): Missing | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const supported = SUPPORTED_NODE.ranges.some(([wantMajor, wantMinor]) => major === wantMajor && minor >= wantMinor) || major > 24;
  if (supported) return null;
  return { what: `Node ${SUPPORTED_NODE.text} (this is ${version})`, install: 'nvm install 24, or the nodejs package of your system' };
}

/** The list a person reads once, before anything runs. */
export function describeMissing(missing: readonly Missing[]): string {
  const lines = missing.map((item) => `  - ${item.what}\n      ${item.install.split('\n').join('\n      ')}`);
  return `wxamp-link needs ${missing.length === 1 ? 'one more thing' : `${missing.length} more things`} before it can run:\n${lines.join('\n')}`;
}

async function findOrInstallWithApt(tool: AptTool, log: (line: string) => void): Promise<Missing | null> {
  const isInstalled = tool.isInstalled ?? (async () => (await findOnPath(tool.command)) !== undefined);
  if (await isInstalled()) return null;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !(await findOnPath('apt-get'))) return { what: tool.what, install: tool.otherwise };
  log(`Installing ${tool.aptPackage} with apt-get (Debian's package; needed for ${tool.neededFor.join(', ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'inherit', 'inherit'], env });
  const install =
    update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-q', tool.aptPackage], { stdio: ['ignore', 'inherit', 'inherit'], env }) : update;
  if (install.status === 0 && (await isInstalled())) {
    log(`Installed ${tool.aptPackage}.`);
    return null;
  }
  return { what: tool.what, install: `apt-get install ${tool.aptPackage} failed above; ${tool.otherwise}` };
}
