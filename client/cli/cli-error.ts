/**
 * What `wxamp` says when something goes wrong: every error becomes one line on stderr and an
 * exit code. Mistakes the user can fix get a line that says what to do; only the unexpected
 * ones carry a stack trace, and only with `WXAMP_DEBUG=1`.
 */
import { isGrpcDeadlineError, isGrpcServiceError, NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { InputValidationError } from '../../workflows/support/validate-input';
import { ConflictingWorkflowError } from '../conflicting-workflow-error';
import { CLI_NAMES, cliMessageOf } from './cli-names';
import { ExitCode } from './exit-codes';

/** An error whose message is ready for the user (one line, no stack) and that knows its exit code. */
export class CliError extends Error {
  /** The code the process exits with. */
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Where the command was talking to, so that messages can name it. */
export interface ErrorContext {
  address: string;
  namespace: string;
  taskQueue: string;
}

// gRPC status UNAVAILABLE: the server went away (or never answered) after the connection was made.
const GRPC_UNAVAILABLE = 14;

/** The message a user sees when the Temporal frontend cannot be reached; `origin` says which setting named it. */
export function unreachableMessage(address: string, origin?: string): string {
  return `cannot reach Temporal at ${address}${origin ? ` (${origin})` : ''} — start it (npm start) or set TEMPORAL_ADDRESS / --address / --profile`;
}

/**
 * A usage error for invalid input, naming the argument or flag the user typed (`names`: the
 * command's words for the fields, see {@link CLI_NAMES}).
 */
export function inputCliError(error: InputValidationError, names: Readonly<Record<string, string>> = CLI_NAMES): CliError {
  return new CliError(cliMessageOf(error, names), ExitCode.Usage);
}

/**
 * The message a user sees when something answers at the address but not as Temporal's frontend
 * does: an HTTP/1 server, most often the Web UI, whose port sits beside the frontend's.
 */
export function notTemporalMessage(address: string, origin?: string): string {
  return `${address}${origin ? ` (${origin})` : ''} answered but does not speak Temporal's gRPC: is this the Web UI port (8233) rather than the frontend (7233)? Set TEMPORAL_ADDRESS / --address / --profile`;
}

/** Turns anything thrown while a command talked to Temporal into a {@link CliError}. */
export function toCliError(error: unknown, context: ErrorContext): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof InputValidationError) return inputCliError(error);
  if (error instanceof ConflictingWorkflowError) {
    return new CliError(`${error.message}${cancelHint(error.workflowId)}`, ExitCode.Conflict);
  }
  if (error instanceof WorkflowNotFoundError) return new CliError(notFoundMessage(error.workflowId), ExitCode.NotFound);
  if (error instanceof NamespaceNotFoundError) {
    return new CliError(`namespace '${context.namespace}' does not exist at ${context.address} — set TEMPORAL_NAMESPACE / --namespace`, ExitCode.Unreachable);
  }
  if (isGrpcDeadlineError(error)) {
    return new CliError(
      `no answer from the workflow in time — is a worker running on task queue '${context.taskQueue}'? (npm run worker; WXAMP_TASK_QUEUE / --task-queue)`,
      ExitCode.Unreachable,
    );
  }
  if (hasGrpcCode(error, GRPC_UNAVAILABLE)) return new CliError(unreachableMessage(context.address), ExitCode.Unreachable);
  return new CliError(error instanceof Error ? error.message : String(error), ExitCode.Unexpected, { cause: error });
}

function notFoundMessage(workflowId: string): string {
  const match = /^wxamp-(link|unlink)\/([^/]+)\/([^/]+)$/.exec(workflowId);
  if (!match) return `no workflow ${workflowId}`;
  const [, kind, oa, mp] = match;
  const other = kind === 'link' ? 'add --unlink for an unlink' : 'drop --unlink for a link';
  return `no ${kind} workflow for ${oa}/${mp} (${workflowId}) — check the appids, or ${other}`;
}

function cancelHint(workflowId: string): string {
  const match = /^wxamp-(link|unlink)\/([^/]+)\/([^/]+)$/.exec(workflowId);
  return match ? ` (to cancel it: wxamp cancel ${match[2]} ${match[3]}${match[1] === 'unlink' ? ' --unlink' : ''})` : '';
}

function hasGrpcCode(error: unknown, code: number): boolean {
  // The client wraps gRPC errors (ServiceError with the gRPC error as cause), so walk the chain.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && Number(e.code) === code) return true;
  }
  return false;
}
