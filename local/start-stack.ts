/**
 * `npm start`: the whole stack on the developer's own computer — Temporal dev server with its Web
 * UI (state kept in .temporal/), the WeChat simulator, the worker — and a demo of three links to
 * watch. Ctrl-C stops everything; nothing is left running and no port stays bound.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { StaticTokenProvider, WeChatClient } from '../activities';
import { WxampLinkClient } from '../client';
import { ADMIN_PATH, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { exitOnWorkerError, runWorker } from '../worker/main';
import { createLinkWorker } from '../worker/create-worker';
import { DEFAULT_OPERATOR_POLICY } from '../workflows/support/operator-policy';
import { DEFAULT_TASK_QUEUE } from '../workflows/contract';
import { startDemoLinks, watchDemoLinks } from './demo-links';
import { startDevServer, type DevServer } from './dev-server';
import { isPortFree } from './free-port';
import { WXAMP_SEARCH_ATTRIBUTES } from './search-attributes';
import { SetupError, printFatal } from './setup-error';
import { startsOnlyTheWorker } from './start-mode';
import { findOrInstallTemporalCli } from './temporal-cli';

/** The local stack's floor under poll intervals (production's default is 5 s). */
const LOCAL_MIN_POLL_INTERVAL_MS = 1_000;

const DEMO_ACCOUNT = 'wxdemoofficialacct';
// The simulator's own fake token for the demo account; fixed so that a restart keeps it valid.
const DEMO_TOKEN = 'demo-simulator-token-not-a-real-wechat-token';

async function main(): Promise<void> {
  if (startsOnlyTheWorker(process.env)) {
    console.log(`TEMPORAL_ADDRESS and WeChat credentials are set: starting only the worker (no dev server, simulator or demo).`);
    // The worker's own handling: a bad setting is one line naming the variable, as with npm run worker.
    await runWorker().catch(exitOnWorkerError);
    return;
  }
  const ports = {
    temporal: envPort('TEMPORAL_PORT', 7233),
    ui: envPort('TEMPORAL_UI_PORT', 8233),
    simulator: envPort('WECHAT_SIM_PORT', 8081),
  };
  // Checked here, with npm start's own advice: the dev server's would say "leave it unset to pick
  // one automatically", which is true of `npm run temporal:dev` but not here (unset means 7233).
  await requireFreePort(ports.temporal, 'TEMPORAL_PORT', 'the Temporal dev server');
  await requireFreePort(ports.ui, 'TEMPORAL_UI_PORT', 'the Temporal Web UI');
  await requireFreePort(ports.simulator, 'WECHAT_SIM_PORT', 'the WeChat simulator');

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) return;
    console.log(`\n${signal}: stopping the worker, the simulator and the Temporal dev server…`);
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    step('Temporal CLI');
    const cliPath = await findOrInstallTemporalCli({ log: (line) => console.log(`  ${line}`) });
    console.log(`  ${cliPath}`);

    step('Temporal dev server');
    // Blank counts as unset, as everywhere in docs/configuration.md.
    const dataDir = process.env.WXAMP_DATA_DIR?.trim() || join(__dirname, '..', '..', '.temporal');
    mkdirSync(dataDir, { recursive: true });
    const server: DevServer = await startDevServer({
      cliPath,
      port: ports.temporal,
      uiPort: ports.ui,
      dbFilename: join(dataDir, 'dev-server.sqlite'),
      searchAttributes: WXAMP_SEARCH_ATTRIBUTES,
    });
    stops.push(() => server.stop());
    console.log(`  gRPC ${server.address}, Web UI ${server.uiUrl ?? '(none)'}, history kept in ${dataDir}`);

    step('WeChat simulator');
    const simulator: WeChatSimulator = await startWeChatSimulator({ port: ports.simulator });
    stops.push(() => simulator.close());
    simulator.registerAccount({ appId: DEMO_ACCOUNT, accessToken: DEMO_TOKEN });
    const adminUrl = `${simulator.baseUrl}${ADMIN_PATH}`;
    console.log(`  ${simulator.baseUrl}, admin page ${adminUrl}`);

    step('Worker');
    // Failed WeChat calls are part of the demo (the banned mini program): they show in the Web UI,
    // not as warnings here. Signals are ours to handle, so that everything stops in order.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const worker = await createLinkWorker({
      connection: nativeConnection,
      namespace: server.namespace,
      taskQueue: DEFAULT_TASK_QUEUE,
      wechat: new WeChatClient({ baseUrl: simulator.baseUrl }),
      tokens: new StaticTokenProvider({ perAccount: new Map([[DEMO_ACCOUNT, DEMO_TOKEN]]) }),
      shutdownGraceMs: 2_000,
      // The demo links poll every 2 s so that there is something to watch: the local floor is 1 s.
      policy: { ...DEFAULT_OPERATOR_POLICY, minPollIntervalMs: LOCAL_MIN_POLL_INTERVAL_MS },
    });
    const workerRun = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
    });
    console.log(`  task queue "${DEFAULT_TASK_QUEUE}"`);

    step('Demo links');
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const links = new WxampLinkClient({ client: new Client({ connection, namespace: server.namespace }) });
    const demo = await startDemoLinks(links, simulator, DEMO_ACCOUNT);
    for (const link of demo) console.log(`  ${link.miniProgramAppId}: ${link.story}`);
    const yours = demo[1];
    const query = encodeURIComponent(`WxOfficialAccountAppId = '${DEMO_ACCOUNT}'`);
    console.log(`\nWatch them in the Temporal Web UI: ${server.uiUrl ?? ''}/namespaces/${server.namespace}/workflows?query=${query}`);
    if (yours) console.log(`Play the two admins of ${yours.miniProgramAppId} in the simulator's admin page: ${adminUrl}`);
    console.log('Ctrl-C stops everything.\n');
    await watchDemoLinks(links, demo, stopping.signal);
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  console.log('Stopped.');
}

function step(name: string): void {
  console.log(`\n▶ ${name}`);
}

function envPort(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SetupError(`${name}: must be a port number from 1 to 65535`);
  return port;
}

async function requireFreePort(port: number, variable: string, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new SetupError(`Port ${port} for ${what} is taken: stop whatever uses it, or choose another with ${variable}=<port> npm start`);
  }
}

main().catch((error: unknown) => {
  printFatal(error);
  process.exit(1);
});
