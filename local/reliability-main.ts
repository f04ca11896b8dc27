/**
 * `npm run test:reliability [-- --server dev|production-local] [jest options]`: the reliability
 * suite on the dev server (the default) or on the production-local server (Temporal on
 * PostgreSQL, started by the suite's global setup). `WXAMP_TEST_SERVER` says the same as
 * `--server`; the option wins. Everything else is handed to jest.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensurePrerequisites } from './prerequisites';
import { REPO_ROOT } from './repo-paths';
import { printFatal } from './setup-error';
import { splitServerOption, TestServer } from './test-server-option';

async function main(): Promise<void> {
  const { server, jestArgs } = splitServerOption(process.argv.slice(2), process.env.WXAMP_TEST_SERVER);
  const log = (line: string): void => console.error(line);
  await ensurePrerequisites('reliability', log);
  if (server === TestServer.ProductionLocal) await ensurePrerequisites('production-local', log);
  const jest = join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(process.execPath, [jest, '-c', 'jest.reliability.config.js', ...jestArgs], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, WXAMP_TEST_SERVER: server },
  });
  // Ctrl-C reaches jest through the terminal's process group; a SIGTERM to us is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  process.exit(code);
}

main().catch((err: unknown) => {
  printFatal(err);
  process.exit(1);
});
