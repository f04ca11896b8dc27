/**
 * The connection flags every command shares (`--address`, `--namespace`, `--task-queue`, with
 * the worker's environment variables as defaults) and the session a command runs in: connect,
 * run, close — always close, so the process never hangs on an open channel.
 */
import { Client, Connection } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { DEFAULT_TASK_QUEUE } from '../../workflows/contract';
import { WxampLinkClient } from '../link-client';
import { CliError, toCliError, unreachableMessage } from './cli-error';
import { ExitCode } from './exit-codes';

/** Where a command finds Temporal and the worker. */
export interface ConnectionSettings {
  /** @default process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' */
  address: string;
  /** @default process.env.TEMPORAL_NAMESPACE ?? 'default' */
  namespace: string;
  /** @default process.env.WXAMP_TASK_QUEUE ?? 'wxamp-link' */
  taskQueue: string;
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
  return program
    .addOption(new Option('--address <host:port>', 'Temporal frontend').env('TEMPORAL_ADDRESS').default('localhost:7233'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace').env('TEMPORAL_NAMESPACE').default('default'))
    .addOption(new Option('--task-queue <name>', "the worker's task queue").env('WXAMP_TASK_QUEUE').default(DEFAULT_TASK_QUEUE));
}

/** The connection flags as the user gave them (on the program, before or after the subcommand). */
export function readConnectionSettings(command: Command): ConnectionSettings {
  const options = command.optsWithGlobals<{ address: string; namespace: string; taskQueue: string }>();
  for (const [flag, value] of [['--address', options.address], ['--namespace', options.namespace], ['--task-queue', options.taskQueue]] as const) {
    if (value.trim() === '') throw new CliError(`${flag}: must not be empty`, ExitCode.Usage);
  }
  return { address: options.address, namespace: options.namespace, taskQueue: options.taskQueue };
}

/**
 * Connects, runs `work`, and closes the connection whatever happens. Anything `work` throws comes
 * out as a {@link CliError} that names the address, namespace or task queue when they are to blame.
 */
export async function withLinkSession<T>(settings: ConnectionSettings, work: (session: LinkSession) => Promise<T>): Promise<T> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.address, connectTimeout: CONNECT_TIMEOUT });
  } catch {
    // The SDK only says "Failed to connect before the deadline"; the address and the fix matter more.
    throw new CliError(unreachableMessage(settings.address), ExitCode.Unreachable);
  }
  try {
    const client = new Client({ connection, namespace: settings.namespace });
    return await work({ links: new WxampLinkClient({ client, taskQueue: settings.taskQueue }), connection, settings });
  } catch (error) {
    throw toCliError(error, settings);
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
