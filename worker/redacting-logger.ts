/**
 * The worker process's log output, masked: every line Temporal's runtime or an activity writes
 * goes through {@link redact} with the secrets of the configuration, so that a token or secret
 * quoted by some library never reaches the terminal or a log collector.
 */
import { inspect } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { redact } from '../activities/redact';

/** Formats an entry as Temporal's default logger does, masked. */
export function formatRedacted(entry: LogEntry, secrets: readonly string[]): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta === undefined ? '' : ` ${inspect(entry.meta, { depth: 6, breakLength: Infinity })}`;
  return redact(`${time} [${entry.level}] ${entry.message}${meta}`, secrets);
}

/** Installs Temporal's runtime with a logger that masks `secrets` (call before connecting). */
export function installRedactingLogger(secrets: readonly string[]): void {
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      process.stderr.write(`${formatRedacted(entry, secrets)}\n`);
    }),
  });
}
