/**
 * The connection flags every command shares (`--address`, `--namespace`, `--profile`,
 * `--config-file`, `--task-queue`; below them the worker's settings: `TEMPORAL_*` variables over
 * an envconfig profile) and the session a command runs in: connect, run, close — always close,
 * so the process never hangs on an open channel.
 */
import { Client, Connection } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { taskQueueFromEnvironment } from '../task-queue-setting';
import { ConnectionConfigError, loadConnectionConfig, type TemporalConnectionConfig } from '../../common/connection/connection-config';
import { WxampLinkClient } from '../link-client';
import { CliError, notTemporalMessage, toCliError, unreachableMessage } from './cli-error';
import { ExitCode } from './exit-codes';
import { cliDataConverter, payloadEncryptionCliError } from './payload-encryption';
import { probeServer } from './probe-server';

/** Where a command finds Temporal and the worker. */
export interface ConnectionSettings {
  /** `--address`, else TEMPORAL_ADDRESS, else the profile's, else 'localhost:7233' */
  address: string;
  /** `--namespace`, else TEMPORAL_NAMESPACE, else the profile's, else 'default' */
  namespace: string;
  /** `--task-queue`, else WXAMP_TASK_QUEUE (blank counts as unset), else 'wxamp-link' */
  taskQueue: string;
  /** Everything needed to connect (TLS, API key) and where each setting came from. */
  connection: TemporalConnectionConfig;
}

/** What a command works with once connected. */
export interface LinkSession {
  links: WxampLinkClient;
  connection: Connection;
  settings: ConnectionSettings;
}

/**
 * How long connecting may take. A closed port is retried until this deadline rather than failing
 * at once, so it is kept short: a person at a terminal should hear "cannot reach" within seconds.
 */
export const CONNECT_TIMEOUT = '4s';

/** Adds the connection flags to the program; subcommands read them with {@link readConnectionSettings}. */
export function addConnectionOptions(program: Command): Command {
  return (
    program
      // No commander defaults for these two: below the flag come TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE,
      // then the profile, then the defaults (connection-config.ts), as for the worker.
      .addOption(new Option('--address <host:port>', "Temporal frontend (default: TEMPORAL_ADDRESS, the profile's address, localhost:7233)"))
      .addOption(new Option('--namespace <name>', "Temporal namespace (default: TEMPORAL_NAMESPACE, the profile's namespace, default)"))
      .addOption(
        new Option('--profile <name>', 'connection profile of the config file: address, namespace, TLS, API key (default: TEMPORAL_PROFILE, else default)'),
      )
      .addOption(
        new Option('--config-file <path>', 'TOML file of connection profiles (default: TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml)'),
      )
      .addOption(new Option('--task-queue <name>', "the worker's task queue (default: WXAMP_TASK_QUEUE, else wxamp-link)"))
  );
}

/** The connection flags as the user gave them (on the program, before or after the subcommand). */
export function readConnectionSettings(command: Command): ConnectionSettings {
  const options = command.optsWithGlobals<{ address?: string; namespace?: string; profile?: string; configFile?: string; taskQueue?: string }>();
  const given = [
    ['--address', options.address],
    ['--namespace', options.namespace],
    ['--profile', options.profile],
    ['--config-file', options.configFile],
    ['--task-queue', options.taskQueue],
  ] as const;
  for (const [flag, value] of given) {
    if (value !== undefined && value.trim() === '') throw new CliError(`${flag}: must not be empty`, ExitCode.Usage);
  }
  let connection: TemporalConnectionConfig;
  try {
    connection = loadConnectionConfig({
      overrides: {
        address: options.address,
        namespace: options.namespace,
        profile: options.profile,
        configFile: options.configFile,
        names: { address: '--address', namespace: '--namespace', profile: '--profile', configFile: '--config-file' },
      },
    });
  } catch (error) {
    if (error instanceof ConnectionConfigError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
  return { address: connection.address, namespace: connection.namespace, taskQueue: options.taskQueue ?? taskQueueFromEnvironment(), connection };
}

/**
 * Connects, runs `work`, and closes the connection whatever happens. Anything `work` throws comes
 * out as a {@link CliError} that names the address, namespace or task queue when they are to blame.
 */
export async function withLinkSession<T>(settings: ConnectionSettings, work: (session: LinkSession) => Promise<T>): Promise<T> {
  const dataConverter = cliDataConverter(process.env); // WXAMP_PAYLOAD_KEYS, checked before connecting
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...settings.connection.connectionOptions, connectTimeout: CONNECT_TIMEOUT });
  } catch {
    // The SDK only says "Failed to connect before the deadline"; the address, where it came from,
    // whether something else answers there (the Web UI?) and the fix matter more.
    const { origin } = settings.connection;
    const from = [origin.address, origin.tls && `TLS from ${origin.tls}`, origin.apiKey && `API key from ${origin.apiKey}`].filter(Boolean).join('; ');
    const answered = (await probeServer(settings.address)) === 'http1';
    throw new CliError((answered ? notTemporalMessage : unreachableMessage)(settings.address, from), ExitCode.Unreachable);
  }
  try {
    const client = new Client({ connection, namespace: settings.namespace, dataConverter });
    return await work({ links: new WxampLinkClient({ client, taskQueue: settings.taskQueue }), connection, settings });
  } catch (error) {
    throw payloadEncryptionCliError(error) ?? toCliError(error, settings);
  } finally {
    await connection.close();
  }
}

/**
 * Runs one request with a deadline. Queries wait for a worker to answer; without one they would
 * block, so the user gets "is a worker running?" instead of silence.
 */
export function withDeadline<T>(session: LinkSession, ms: number, request: () => Promise<T>): Promise<T> {
  return session.connection.withDeadline(Date.now() + ms, request);
}
