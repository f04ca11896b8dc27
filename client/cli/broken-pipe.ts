/**
 * `wxamp … | head`: when the reader of stdout (or stderr) goes away, stop quietly, as `cat` and
 * `grep` do. Node ignores SIGPIPE, so a write to a closed pipe comes back as an EPIPE 'error'
 * event instead; unhandled, it would crash the process with a stack trace.
 */
import { ExitCode } from './exit-codes';

/** The codes a write to a reader that went away fails with. */
const BROKEN_PIPE_CODES: ReadonlySet<string> = new Set([
  'EPIPE',
  // A write after the stream was destroyed by an earlier EPIPE.
  'ERR_STREAM_DESTROYED',
]);

/**
 * Makes the process exit with {@link ExitCode.BrokenPipe} (128 + SIGPIPE, what a shell reports
 * for a tool a broken pipe ended) and no message when stdout or stderr is closed under it.
 * A running workflow goes on, as after Ctrl-C. Other stream errors still end the process as errors.
 */
export function exitQuietlyOnBrokenPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Nothing is written about it: stderr may be the very pipe that closed.
      if (error.code !== undefined && BROKEN_PIPE_CODES.has(error.code)) process.exit(ExitCode.BrokenPipe);
      throw error;
    });
  }
}
