#!/usr/bin/env node
/**
 * Entry point of the `wxamp` command-line tool (`npm run wxamp -- …`, or `wxamp` once installed).
 * Turns every error into one line on stderr and an exit code from {@link ExitCode}.
 */
import { CommanderError } from 'commander';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';
import { CliError, toCliError } from './cli-error';
import { ExitCode } from './exit-codes';
import { createProgram } from './program';

async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.Success : Number(process.exitCode);
  } catch (error) {
    // Commander has printed its own one-line message; help and --version "fail" with code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    const { address, namespace, taskQueue } = program.opts<{ address: string; namespace: string; taskQueue: string }>();
    const failure = error instanceof CliError ? error : toCliError(error, { address, namespace, taskQueue });
    const line = `wxamp: ${failure.message.split('\n')[0] ?? ''}`;
    if (failure.exitCode !== ExitCode.Unexpected) process.stderr.write(`${line}\n`);
    else if (process.env.WXAMP_DEBUG === '1') process.stderr.write(`${line}\n${stackOf(failure)}\n`);
    else process.stderr.write(`${line} (WXAMP_DEBUG=1 shows the details)\n`);
    return failure.exitCode;
  }
}

function stackOf(failure: CliError): string {
  return (failure.cause instanceof Error ? failure.cause.stack : failure.stack) ?? '';
}

exitQuietlyOnBrokenPipe();
main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Every command closes its connection; should anything still hold the event loop, do not hang.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(ExitCode.Unexpected);
  },
);
