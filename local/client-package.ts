/**
 * Assembles the client package, `@wxamp-link/client`, from the build: the compiled client library
 * and `wxamp` CLI, the parts of common/ and workflows/ they import (the contract, the pure input
 * validators), their type declarations, the JSON Schemas, a README, and a package.json whose
 * dependencies are exactly the packages those files require. The worker is not in it: it stays
 * the repository's own (private) package, deployed from a checkout (see docs/deployment.md).
 *
 * The files are found by following the compiled `require()` calls (and the declarations' imports)
 * from the entry points, never listed by hand, so that the package holds what the client needs
 * and nothing more. A file of activities/ or worker/, or a package such as @temporalio/worker,
 * in that closure is an error: the client must never pull the worker in.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT, SCHEMAS_DIR } from './repo-paths';

/** The package's name on the registry. */
export const CLIENT_PACKAGE_NAME = '@wxamp-link/client';

/** Where the package is assembled, ready for `npm pack` or `npm publish`. */
export const CLIENT_PACKAGE_DIR = join(REPO_ROOT, 'dist', 'client-package');

/** The compiled entry points, relative to the repository: the library, and the CLI (`bin`). */
const LIBRARY_ENTRY = 'dist/client/index.js';
const CLI_ENTRY = 'dist/client/cli/main.js';

/** Packages the client must never need: they are the worker's (native code, webpack, Redis, HTTP to WeChat). */
const WORKER_ONLY_PACKAGES = ['@temporalio/worker', '@temporalio/activity', 'ioredis', 'node-fetch'];
/** Folders of the build the client must never import from. */
const WORKER_ONLY_FOLDERS = ['dist/worker/', 'dist/activities/', 'dist/simulator/', 'dist/local/', 'dist/bench/', 'dist/test/'];

/**
 * Temporal's packages come in lockstep versions, and the user's `@temporalio/client` (a peer
 * dependency) pins its own `@temporalio/common` and `@temporalio/proto`. A caret range on ours lets
 * npm share those copies instead of installing a second set; other dependencies stay pinned to the
 * versions the repository is tested with.
 */
function sharedWithTheUsersClient(name: string): boolean {
  return name.startsWith('@temporalio/');
}

/** What {@link assembleClientPackage} made. */
export interface AssembledClientPackage {
  /** The folder holding the package. */
  readonly dir: string;
  /** Its package.json. */
  readonly manifest: ClientPackageManifest;
  /** Every file in it, relative to {@link AssembledClientPackage.dir}. */
  readonly files: readonly string[];
}

/** The fields of the generated package.json. */
export interface ClientPackageManifest {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  publishConfig: { access: 'public' };
}

interface RootManifest {
  version: string;
  license: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
}

/** The package a bare specifier names: `@scope/name` or `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The file a relative `require()` of `from` loads: `x.js`, `x/index.js` or `x` itself. */
function resolveRelative(from: string, specifier: string, extensions: readonly string[]): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [...extensions.map((ext) => `${base}${ext}`), ...extensions.map((ext) => join(base, `index${ext}`)), base]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  throw new Error(`${relative(REPO_ROOT, from)}: cannot find ${specifier} (run \`npm run build\` first)`);
}

/** The modules `text` loads at run time (compiled CommonJS). */
function requiredSpecifiers(text: string): string[] {
  return [...text.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((match) => match[1] ?? '');
}

/** The modules a declaration file refers to (tsc keeps the sources' quotes in imports it copies). */
function declaredSpecifiers(text: string): string[] {
  return [...text.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1] ?? match[2] ?? '');
}

/** Every file reachable from `entries`, and the packages they name (Node's own modules left out). */
function closure(
  entries: readonly string[],
  specifiersOf: (text: string) => string[],
  extensions: readonly string[],
): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  /** Package → the first file that names it (for the error messages). */
  const packages = new Map<string, string>();
  const queue = entries.map((entry) => join(REPO_ROOT, entry));
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier, extensions));
      else if (!isBuiltin(specifier)) packages.set(packageOf(specifier), packages.get(packageOf(specifier)) ?? relative(REPO_ROOT, file));
    }
  }
  return { files, packages };
}

/** @throws when the client's closure reaches the worker's files or packages. */
function refuseWorkerCode(files: Iterable<string>, packages: ReadonlyMap<string, string>): void {
  for (const file of files) {
    const path = relative(REPO_ROOT, file);
    if (WORKER_ONLY_FOLDERS.some((folder) => path.startsWith(folder))) throw new Error(`the client package would include ${path}: client/ must not import it`);
  }
  for (const name of WORKER_ONLY_PACKAGES) {
    const by = packages.get(name);
    if (by !== undefined) throw new Error(`the client package would need ${name} (required by ${by}): it belongs to the worker`);
  }
}

/** The package's dependencies: each package the files name, at the repository's version of it. */
function dependenciesOf(packages: ReadonlyMap<string, string>, root: RootManifest, peers: readonly string[]): Record<string, string> {
  const dependencies: Record<string, string> = {};
  for (const [name, by] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    if (peers.includes(name)) continue;
    const version = root.dependencies[name];
    if (version === undefined) throw new Error(`${by} requires ${name}, which package.json does not list in dependencies`);
    dependencies[name] = sharedWithTheUsersClient(name) ? `^${version}` : version;
  }
  return dependencies;
}

/** A compiled file as the package ships it: without the comment pointing at a source map it does not ship. */
function withoutSourceMapComment(text: string): string {
  return text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/**
 * Builds the package in {@link CLIENT_PACKAGE_DIR} from `dist/` (run `npm run build` first),
 * replacing what was there.
 * @throws when a file is missing, or the client's closure reaches worker code (see the module comment).
 */
export function assembleClientPackage(): AssembledClientPackage {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as RootManifest;
  const code = closure([LIBRARY_ENTRY, CLI_ENTRY], requiredSpecifiers, ['.js', '.json']);
  const types = closure([LIBRARY_ENTRY.replace(/\.js$/, '.d.ts')], declaredSpecifiers, ['.d.ts']);
  refuseWorkerCode([...code.files, ...types.files], new Map([...types.packages, ...code.packages]));

  const peers = ['@temporalio/client'];
  const peerVersion = root.dependencies['@temporalio/client'];
  if (peerVersion === undefined) throw new Error('package.json does not list @temporalio/client in dependencies');
  // Every package the declarations name must be installed with the package too (Node's types aside).
  for (const [name, by] of types.packages) {
    if (!code.packages.has(name) && !peers.includes(name)) throw new Error(`${by} refers to ${name}, which the client does not depend on at run time`);
  }

  const manifest: ClientPackageManifest = {
    name: CLIENT_PACKAGE_NAME,
    version: root.version,
    description: 'Client library and wxamp CLI for wxamp-link: link WeChat mini programs to official accounts through a Temporal worker',
    license: root.license,
    engines: root.engines,
    main: LIBRARY_ENTRY,
    types: LIBRARY_ENTRY.replace(/\.js$/, '.d.ts'),
    exports: {
      '.': { types: `./${LIBRARY_ENTRY.replace(/\.js$/, '.d.ts')}`, default: `./${LIBRARY_ENTRY}` },
      './schemas/*.json': './schemas/*.json',
      './package.json': './package.json',
    },
    bin: { wxamp: CLI_ENTRY },
    files: ['dist', 'schemas'],
    dependencies: dependenciesOf(code.packages, root, peers),
    peerDependencies: { '@temporalio/client': `^${peerVersion}` },
    publishConfig: { access: 'public' },
  };

  rmSync(CLIENT_PACKAGE_DIR, { recursive: true, force: true });
  const written: string[] = [];
  const write = (path: string, text: string): void => {
    const target = join(CLIENT_PACKAGE_DIR, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.push(path);
  };
  for (const file of [...code.files, ...types.files]) {
    const text = readFileSync(file, 'utf8');
    write(relative(REPO_ROOT, file), file.endsWith('.js') ? withoutSourceMapComment(text) : text);
  }
  chmodSync(join(CLIENT_PACKAGE_DIR, CLI_ENTRY), 0o755);
  for (const file of readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.json'))) {
    mkdirSync(join(CLIENT_PACKAGE_DIR, 'schemas'), { recursive: true });
    copyFileSync(join(SCHEMAS_DIR, file), join(CLIENT_PACKAGE_DIR, 'schemas', file));
    written.push(`schemas/${file}`);
  }
  write('README.md', readFileSync(join(REPO_ROOT, 'client', 'README.md'), 'utf8'));
  write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: CLIENT_PACKAGE_DIR, manifest, files: written.sort() };
}
