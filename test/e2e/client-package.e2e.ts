/**
 * The client package as a user gets it: assembled from the build (local/client-package.ts), packed
 * with `npm pack`, installed from the tarball into an empty project (its dependencies come from the
 * npm registry, or npm's cache), then required, its `wxamp` run, its declarations compiled by a
 * strict TypeScript consumer, and its installed tree searched for the worker. Needs `npm run
 * build` first (npm run test:e2e does it) and the npm registry.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assembleClientPackage, CLIENT_PACKAGE_NAME, type AssembledClientPackage } from '../../local/client-package';
import { REPO_ROOT } from '../../local/repo-paths';

const run = promisify(execFile);

/** Packages a client must not bring: the worker and what only it needs (native core, bundler). */
const WORKER_PACKAGES = ['@temporalio/worker', '@temporalio/core-bridge', '@temporalio/activity', '@swc/core', 'webpack', 'ioredis', 'node-fetch'];

let assembled: AssembledClientPackage;
let packedFiles: string[];
let packDir: string;
let project: string;
let installSeconds: number;

/** Runs npm with `args` in `cwd`; rejects with its output when it fails. */
async function npm(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return stdout;
}

/** Runs `node …args` in the installed project. */
function nodeIn(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, args, { cwd: project, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' } });
}

/** Every package folder installed under `nodeModules`, nested ones included (`@scope/name`). */
function installedPackages(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules).flatMap((entry) => {
    if (entry.startsWith('.')) return [];
    const names = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((name) => `${entry}/${name}`) : [entry];
    return names.flatMap((name) => [name, ...installedPackages(join(nodeModules, name, 'node_modules'))]);
  });
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'client', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run test:e2e does it)');
  assembled = assembleClientPackage();
  packDir = mkdtempSync(join(tmpdir(), 'wxamp-client-pack-'));
  const [packed] = JSON.parse(await npm(['pack', assembled.dir, '--pack-destination', packDir, '--json'], packDir)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (packed === undefined) throw new Error('npm pack reported no package');
  packedFiles = packed.files.map(({ path }) => path);

  project = mkdtempSync(join(tmpdir(), 'wxamp-client-install-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'install-probe', version: '1.0.0', private: true }));
  const started = Date.now();
  await npm(['install', join(packDir, packed.filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
  installSeconds = (Date.now() - started) / 1000;
}, 170_000);

afterAll(() => {
  for (const dir of [packDir, project]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`the ${CLIENT_PACKAGE_NAME} package`, () => {
  it('packs the compiled client, the contract it imports, the schemas and a README; nothing of the worker, tests, bench or local tools', () => {
    const outside = packedFiles.filter((path) => !/^(dist\/(client|common|workflows)\/|schemas\/[\w-]+\.json$|package\.json$|README\.md$)/.test(path));
    expect(outside).toEqual([]);
    expect(packedFiles).toEqual(
      expect.arrayContaining(['dist/client/index.js', 'dist/client/index.d.ts', 'dist/client/cli/main.js', 'schemas/link-input.json']),
    );
    // Of workflows/, only the contract and the pure validators the client shares: no workflow code.
    expect(packedFiles.filter((path) => /^dist\/workflows\/.*\.js$/.test(path)).sort()).toEqual([
      'dist/workflows/campaign/campaign-contract.js',
      'dist/workflows/campaign/validate-campaign-input.js',
      'dist/workflows/contract.js',
      'dist/workflows/support/history-budget.js',
      'dist/workflows/support/input-fields.js',
      'dist/workflows/support/validate-input.js',
    ]);
    expect(packedFiles.length).toBeLessThan(200);
  });

  it('has @temporalio/client as a peer dependency, and no worker package among its dependencies', () => {
    expect(assembled.manifest.peerDependencies).toEqual({ '@temporalio/client': expect.stringMatching(/^\^1\./) });
    expect(Object.keys(assembled.manifest.dependencies).filter((name) => WORKER_PACKAGES.includes(name))).toEqual([]);
  });

  it(`installs from its tarball into an empty project without any worker package (${CLIENT_PACKAGE_NAME} and its dependencies)`, () => {
    const installed = installedPackages(join(project, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining([CLIENT_PACKAGE_NAME, '@temporalio/client']));
    expect(installed.filter((name) => WORKER_PACKAGES.includes(name))).toEqual([]);
    console.log(`installed ${new Set(installed).size} packages in ${installSeconds.toFixed(1)} s`);
  });

  it('require() gives the library: the client, the contract, the validators, the webhook check and the schemas', async () => {
    const probe = `
      const c = require('${CLIENT_PACKAGE_NAME}');
      const refusal = new c.WxampLinkClient({ client: {} }).link({ miniProgramAppId: 'wx2' }).catch((e) => e);
      refusal.then((error) => console.log(JSON.stringify({
        connectLinkClient: typeof c.connectLinkClient,
        WxampLinkClient: typeof c.WxampLinkClient,
        linked: c.LinkOutcome.Linked,
        linkType: c.WorkflowType.Link,
        query: c.getLinkState.name,
        signal: c.pollNow.name,
        workflowId: c.linkWorkflowId('wx1', 'wx2'),
        refusedField: error instanceof c.InputValidationError ? error.field : String(error),
        schema: require('${CLIENT_PACKAGE_NAME}/schemas/link-input.json').title,
        // A receiver's check of a webhook signed with the package's own signer.
        webhookCheck: c.verifyWebhookSignature({ body: '{}', timestamp: String(Math.floor(Date.now() / 1000)), signature: c.signWebhook('s'.repeat(16), Math.floor(Date.now() / 1000), '{}') }, 's'.repeat(16)),
      })));`;
    const { stdout } = await nodeIn(['-e', probe]);
    expect(JSON.parse(stdout)).toEqual({
      connectLinkClient: 'function',
      WxampLinkClient: 'function',
      linked: 'linked',
      linkType: 'linkMiniProgram',
      query: 'getLinkState',
      signal: 'pollNow',
      workflowId: 'wxamp-link/wx1/wx2',
      refusedField: 'officialAccountAppId',
      schema: 'linkMiniProgram input',
      webhookCheck: true,
    });
  });

  it('keeps its internals private: only the entry point and the schemas can be required', async () => {
    await expect(nodeIn(['-e', `require('${CLIENT_PACKAGE_NAME}/dist/workflows/contract.js')`])).rejects.toMatchObject({
      stderr: expect.stringContaining('ERR_PACKAGE_PATH_NOT_EXPORTED'),
    });
  });

  it('installs `wxamp`: --help exits 0 and lists its commands, --version names the package version', async () => {
    const bin = join(project, 'node_modules', '.bin', 'wxamp');
    const help = await run(bin, ['--help'], { cwd: project });
    for (const command of ['link', 'unlink', 'status', 'watch', 'poll-now', 'cancel', 'list', 'find', 'campaign']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    const version = await run(bin, ['--version'], { cwd: project });
    expect(version.stdout.trim()).toBe(assembled.manifest.version);
  });

  const consumers: Array<[string, Record<string, unknown>]> = [
    // Every .d.ts checked, ours included: a declaration that names a module the package does not
    // bring fails here. (Node16 resolution cannot check every file: @temporalio/common's types
    // import `ms`, whose exports map has no types for `require`.)
    ['classic resolution (package.json `types`), with skipLibCheck off', { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: false }],
    ['Node16 resolution (package.json `exports`)', { module: 'node16', moduleResolution: 'node16', skipLibCheck: true }],
  ];
  it.each(consumers)('its declarations compile in a strict TypeScript project: %s', async (name, options) => {
    const tsconfig = `tsconfig.${consumers.findIndex(([n]) => n === name)}.json`;
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { connectLinkClient, LinkOutcome, type LinkResult, type LinkState } from '${CLIENT_PACKAGE_NAME}';
export async function follow(): Promise<LinkResult['outcome']> {
  const { links, connection } = await connectLinkClient({ taskQueue: 'wxamp-link' });
  const handle = await links.link({ officialAccountAppId: 'wx1', miniProgramAppId: 'wx2', timeout: '3d' });
  const state: LinkState = await links.getState('wx1', 'wx2');
  const result = await handle.result();
  await connection.close();
  return state.phase === 'done' && result.outcome === LinkOutcome.Linked ? LinkOutcome.Linked : result.outcome;
}
`,
    );
    writeFileSync(
      join(project, tsconfig),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          types: ['node'],
          typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
          ...options,
        },
        files: ['consumer.ts'],
      }),
    );
    await expect(nodeIn([join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, tsconfig)])).resolves.toMatchObject({ stdout: '' });
  });
});
