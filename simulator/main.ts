// The simulator as its own process, for the one-command local run and for trying the worker by
// hand: `node dist/simulator/main.js --port 8081 --account wx_oa_1`. It prints what to paste
// into the worker's environment and otherwise only masked request lines.
import { parseArgs } from 'node:util';
import { generateSecret } from './component-registry';
import { AUTO_CONFIRM_SCRIPT } from './link-script';
import { startWeChatSimulator } from './wechat-simulator';

/** The port used when neither `--port` nor `WECHAT_SIM_PORT` says otherwise. */
export const DEFAULT_SIM_PORT = 8081;

const USAGE = [
  'usage: node dist/simulator/main.js [--port 8081] [--host 127.0.0.1] [--account APPID ...] [--app-secrets] [--auto-confirm] [--quiet]',
  '  --port          port to listen on, 0 for any free one (env WECHAT_SIM_PORT; default 8081)',
  '  --host          interface to listen on (default 127.0.0.1)',
  '  --account       register this official account and print its token (repeatable)',
  '  --app-secrets   also give each --account a random app secret and print WECHAT_APP_SECRETS (stable_token)',
  '  --auto-confirm  both admins confirm every new link after one poll each (default: nobody confirms)',
  '  --quiet         do not print one line per request',
].join('\n');

/** The standalone simulator's settings, from the command line and the environment. */
export interface MainOptions {
  port: number;
  host: string;
  accounts: string[];
  autoConfirm: boolean;
  /** Give each account an app secret, for the worker's stable_token source. */
  appSecrets: boolean;
  quiet: boolean;
  help: boolean;
}

/** Reads the command line (`argv` without node and script) and `WECHAT_SIM_PORT`; throws a one-line Error on bad input. */
export function parseMainArgs(argv: string[], env: NodeJS.ProcessEnv): MainOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      account: { type: 'string', multiple: true, default: [] },
      'auto-confirm': { type: 'boolean', default: false },
      'app-secrets': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const rawPort = values.port ?? env.WECHAT_SIM_PORT ?? String(DEFAULT_SIM_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    const source = values.port === undefined ? 'WECHAT_SIM_PORT' : '--port';
    throw new Error(`${source}: must be an integer from 0 to 65535, got '${rawPort}'`);
  }
  if (values.host === '') throw new Error('--host: must not be empty');
  const empty = values.account.find((a) => a.trim() === '');
  if (empty !== undefined) throw new Error('--account: must be a non-empty appid');
  return {
    port,
    host: values.host,
    accounts: values.account,
    autoConfirm: values['auto-confirm'],
    appSecrets: values['app-secrets'],
    quiet: values.quiet,
    help: values.help,
  };
}

async function main(): Promise<void> {
  let options: MainOptions;
  try {
    options = parseMainArgs(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`wechat-sim: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(1);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  const simulator = await startWeChatSimulator({
    port: options.port,
    host: options.host,
    defaultScript: options.autoConfirm ? AUTO_CONFIRM_SCRIPT : undefined,
    log: options.quiet ? undefined : (line) => console.log(`[wechat-sim] ${line}`),
  }).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges' : 'is not available';
      console.error(
        `wechat-sim: ${options.host}:${options.port} ${why}; pick another port with --port <n> (or --port 0 for any free one)` +
          (code === 'EADDRNOTAVAIL' ? ' or another --host' : ''),
      );
      process.exit(1);
    }
    throw err;
  });

  // The simulator's own fake tokens: printing them is the point, so the worker can be given them.
  const tokens: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const appId of options.accounts) {
    const account = simulator.registerAccount({ appId, ...(options.appSecrets && { appSecret: generateSecret() }) });
    tokens[appId] = account.accessToken;
    if (account.appSecret !== undefined) secrets[appId] = account.appSecret;
  }
  console.log(`WeChat API simulator listening on ${simulator.baseUrl}`);
  console.log(`WECHAT_API_BASE_URL=${simulator.baseUrl}`);
  if (options.accounts.length > 0) console.log(`WECHAT_ACCESS_TOKENS=${JSON.stringify(tokens)}`);
  if (options.appSecrets && options.accounts.length > 0) console.log(`WECHAT_APP_SECRETS=${JSON.stringify(secrets)}`);
  console.log(`control API: ${simulator.baseUrl}/__sim/state${options.autoConfirm ? ' (admins auto-confirm)' : ''}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`wechat-sim: ${signal}, closing`);
    simulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
