/**
 * Connecting backend code to Temporal with the same settings as the worker: the `TEMPORAL_*`
 * variables over an envconfig profile (TOML file), see {@link loadConnectionConfig}.
 */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { taskQueueFromEnvironment } from './task-queue-setting';
import { connectionFailureMessage, loadConnectionConfig } from '../common/connection/connection-config';
import { WxampLinkClient } from './link-client';
import { dataConverterFromEnv } from '../common/connection/payload-codec';

/** Connection settings; each defaults to the worker's environment variable, then the profile. */
export interface ConnectOptions {
  /** @default TEMPORAL_ADDRESS, else the profile's `address`, else 'localhost:7233' */
  address?: string;
  /** @default TEMPORAL_NAMESPACE, else the profile's `namespace`, else 'default' */
  namespace?: string;
  /** The envconfig profile (TLS, API key, address, namespace). @default TEMPORAL_PROFILE, else 'default' */
  profile?: string;
  /** The TOML file of profiles. @default TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml */
  configFile?: string;
  /** @default WXAMP_TASK_QUEUE (blank counts as unset), else 'wxamp-link' */
  taskQueue?: string;
  /**
   * How payloads are encoded; must match the worker's. `{}` forces Temporal's default.
   * @default {@link dataConverterFromEnv}: AES-256-GCM when `WXAMP_PAYLOAD_KEYS` is set, plain otherwise
   */
  dataConverter?: DataConverter;
}

/** Connects to Temporal and returns a {@link WxampLinkClient}; close it with `connection.close()`. */
export async function connectLinkClient(options: ConnectOptions = {}): Promise<{ links: WxampLinkClient; connection: Connection }> {
  // Throws ConnectionConfigError naming the setting (variable, option or profile field) that is wrong.
  const config = loadConnectionConfig({
    overrides: {
      address: options.address,
      namespace: options.namespace,
      profile: options.profile,
      configFile: options.configFile,
      names: { address: 'options.address', namespace: 'options.namespace', profile: 'options.profile', configFile: 'options.configFile' },
    },
  });
  const { namespace } = config;
  const taskQueue = options.taskQueue ?? taskQueueFromEnvironment();
  // Read before connecting, so that a bad WXAMP_PAYLOAD_KEYS fails without a connection to close.
  const dataConverter = options.dataConverter ?? dataConverterFromEnv(process.env);
  const connection = await Connection.connect(config.connectionOptions).catch((error: unknown) => {
    throw new Error(connectionFailureMessage(config, error), { cause: error });
  });
  return { links: new WxampLinkClient({ client: new Client({ connection, namespace, dataConverter }), taskQueue }), connection };
}
