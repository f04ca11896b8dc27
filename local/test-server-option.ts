/** Which Temporal server the reliability suite runs on: `--server` or WXAMP_TEST_SERVER. */
import { SetupError } from './setup-error';

/** The servers the suite runs on. */
export const TestServer = { Dev: 'dev', ProductionLocal: 'production-local' } as const;
/** One of {@link TestServer}'s values. */
export type TestServer = (typeof TestServer)[keyof typeof TestServer];

/** `--server` (or its `=` form) taken out of `argv`; the rest is jest's. */
export function splitServerOption(argv: readonly string[], fromEnv: string | undefined): { server: TestServer; jestArgs: string[] } {
  const jestArgs: string[] = [];
  let chosen = fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  let source = 'WXAMP_TEST_SERVER';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--server') {
      chosen = argv[++i];
      source = '--server';
    } else if (arg.startsWith('--server=')) {
      chosen = arg.slice('--server='.length);
      source = '--server';
    } else {
      jestArgs.push(arg);
    }
  }
  const servers: readonly string[] = Object.values(TestServer);
  if (chosen !== undefined && !servers.includes(chosen)) {
    throw new SetupError(`${source}: expected ${servers.join(' or ')}, got "${chosen}"`);
  }
  return { server: (chosen as TestServer | undefined) ?? TestServer.Dev, jestArgs };
}
