/**
 * The production-local server's configuration: the module's `config/development-postgres12.yaml`
 * with the run's own ports, database names and dynamic config, as data. JSON is YAML, so the
 * object is written as JSON into the `.yaml` file the server reads; no YAML library is needed.
 */

/** The ports one server process binds on 127.0.0.1. */
export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

/** What differs from one production-local server to the next. */
export interface ServerConfigInput {
  ports: ServerPorts;
  postgresPort: number;
  databaseUser: string;
  /** The history (default store) database. */
  database: string;
  /** The visibility store's database. */
  visibilityDatabase: string;
  /** The dynamic config file, absolute. */
  dynamicConfigPath: string;
  /** Shards of history: fixed for the life of a database. */
  historyShards: number;
}

/**
 * The server's dynamic configuration. Everything else is the server's production default, which is
 * the point of the stack; the one change is the dev server's timer precision (10 ms instead of up
 * to 1 s late), which the suites' scaled-down intervals rely on, as they do on the dev server.
 */
export const PRODUCTION_LOCAL_DYNAMIC_CONFIG: Readonly<Record<string, ReadonlyArray<{ value: unknown }>>> = {
  'history.timerProcessorMaxTimeShift': [{ value: '10ms' }],
};

function sqlStore(input: ServerConfigInput, databaseName: string, maxConns: number): Record<string, unknown> {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${input.postgresPort}`,
      connectProtocol: 'tcp',
      user: input.databaseUser,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

function service(grpcPort: number, membershipPort: number, httpPort?: number): Record<string, unknown> {
  return { rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...(httpPort !== undefined && { httpPort }) } };
}

/** The configuration object for `temporal-server --config <dir> --env <name> start`. */
export function productionLocalServerConfig(input: ServerConfigInput): Record<string, unknown> {
  const { ports } = input;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: input.historyShards,
      datastores: {
        'postgres-default': sqlStore(input, input.database, 20),
        'postgres-visibility': sqlStore(input, input.visibilityDatabase, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, ports.frontendHttp),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: input.dynamicConfigPath, pollInterval: '10s' },
  };
}
