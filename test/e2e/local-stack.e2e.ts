/**
 * The newcomer's first ten minutes, automated: `npm start` as a real process; a person (a real
 * browser) confirms a link as both admins in the simulator's admin page; the link reaches
 * `linked`; the Temporal Web UI lists it when filtered by `WxMiniProgramAppId`; Ctrl-C leaves no
 * process and no bound port behind. Screenshots of both pages are saved in test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { findFreePort, isPortFree } from '../../local/free-port';
import { findOnPath } from '../../local/temporal-cli';
import { waitFor } from '../helpers/wait';

const root = join(__dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');
/** The browser: `CHROMIUM_PATH`, else `chromium` on PATH, as the prerequisite check finds it. */
let CHROMIUM = '';

let stack: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let ports: { temporal: number; ui: number; simulator: number };
let browser: Browser | undefined;
/** The stack's own data folder: it appears in the dev server's command line, which finds leftovers. */
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'local', 'start-stack.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run test:e2e does it)');
  CHROMIUM = process.env.CHROMIUM_PATH || ((await findOnPath('chromium')) ?? '');
  if (!CHROMIUM || !existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM || 'chromium'} is missing: apt-get install chromium (.ci/run does it), or set CHROMIUM_PATH`);
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'wxamp-e2e-'));
  ports = { temporal: await findFreePort(), ui: await findFreePort(), simulator: await findFreePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    WECHAT_SIM_PORT: String(ports.simulator),
    WXAMP_DATA_DIR: dataDir,
  };
  // Real settings would make `npm start` run only the worker.
  for (const name of ['TEMPORAL_ADDRESS', 'WECHAT_ACCESS_TOKEN', 'WECHAT_ACCESS_TOKENS', 'WECHAT_TOKEN_URL']) delete env[name];
  stack = spawn(process.execPath, [join(root, 'dist', 'local', 'start-stack.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exited = new Promise((resolve) => stack.on('exit', (code) => resolve(code)));
  await waitFor(() => output.includes('Ctrl-C stops everything'), `the stack to start; output so far:\n${output}`, 120_000);
});

afterAll(async () => {
  await browser?.close();
  if (stack.exitCode === null) stack.kill('SIGKILL');
});

/** The demo link that waits for the reader, as printed by `npm start`. */
const yourTurn = () => /(wxdemo\w+yourturn)/.exec(output)?.[1] ?? '';

describe('npm start, seen by a person', () => {
  it('the demo link that the simulated admins approve reaches linked', async () => {
    await waitFor(() => /wxdemo\w+approved: linked/.test(output), 'the approved demo link to be linked', 60_000);
  });

  it('a person confirms both admins in the admin page, and the link is linked', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    const mp = yourTurn();
    expect(mp).not.toBe('');
    await page.goto(`http://127.0.0.1:${ports.simulator}/admin`);
    await page.getByRole('button', { name: `Confirm as account admin for ${mp}` }).click();
    await page.getByRole('button', { name: `Confirm as mini-program admin for ${mp}` }).click();
    await page.getByRole('row', { name: new RegExp(`${mp}.*\\b1\\b.*linked`) }).waitFor();
    await page.screenshot({ path: join(artifacts, 'admin-page.png') });
    await waitFor(() => output.includes(`${mp}: linked`), `${mp} to be linked`, 60_000);
  });

  it('the Temporal Web UI lists the link when filtered by WxMiniProgramAppId', async () => {
    const mp = yourTurn();
    const page = await browser!.newPage({ viewport: { width: 1400, height: 820 } });
    const query = encodeURIComponent(`WxMiniProgramAppId = '${mp}'`);
    await page.goto(`http://127.0.0.1:${ports.ui}/namespaces/default/workflows?query=${query}`);
    await page.getByText(`wxamp-link/wxdemoofficialacct/${mp}`).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'web-ui.png') });
  });

  it('Ctrl-C stops everything: exit 0, no process left, every port free', async () => {
    stack.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});

/** Command lines of live processes that mention `text` (Linux /proc). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (commandLine.includes(text)) found.push(`${pid}: ${commandLine}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
