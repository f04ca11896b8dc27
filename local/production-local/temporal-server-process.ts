/**
 * One `temporal-server` process of the production-local stack: started on a config directory,
 * ready once its frontend answers for the `temporal-system` namespace, stopped with SIGTERM (then
 * SIGKILL), or killed with SIGKILL as a crash would. It can be started again on the same config
 * and database, which is how the reliability scenario restarts the server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevServerNotReadyError, waitForDevServer } from '../dev-server-ready';
import { formatCommand } from '../format-command';
import { LineTail } from '../line-tail';
import { SetupError } from '../setup-error';

/** How long a SIGTERM gets before SIGKILL. */
const STOP_GRACE_MS = 15_000;
/** The server's own namespace: it answers once the frontend and its persistence work. */
const SYSTEM_NAMESPACE = 'temporal-system';

/** Options of {@link TemporalServerProcess}. */
export interface TemporalServerProcessOptions {
  serverPath: string;
  /** `--root`: the directory holding `config/`. */
  rootDir: string;
  /** `--env`: the config file's name without `.yaml`. */
  configName: string;
  /** `host:port` of its frontend. */
  address: string;
  /** Receives the server's warnings and errors. */
  log: (line: string) => void;
  /** @default 120 s (a first start creates the system namespace and its shards) */
  startTimeoutMs?: number;
}

/** A server process that can be started, killed and started again. */
export class TemporalServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output = new LineTail(40);
  private stopping = false;
  private readonly args: string[];
  private readonly onParentExit = (): void => {
    this.child?.kill('SIGKILL');
  };

  constructor(private readonly options: TemporalServerProcessOptions) {
    this.args = ['--root', options.rootDir, '--config', 'config', '--env', options.configName, '--allow-no-auth', 'start'];
  }

  /** The process id of the running server, if one runs. */
  get pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  /** Starts the server and resolves once it answers. @throws {@link SetupError} with its last lines when it exits or does not answer */
  async start(): Promise<void> {
    if (this.running()) throw new Error('the Temporal server is already running');
    this.stopping = false;
    const child = spawn(this.options.serverPath, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const capture = (stream: NodeJS.ReadableStream): void => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        const brief = briefServerLine(line);
        this.output.push(brief);
        if (!this.stopping && isWorthForwarding(brief)) this.options.log(`temporal-server: ${brief}`);
      });
    };
    if (child.stdout) capture(child.stdout);
    if (child.stderr) capture(child.stderr);
    let exitedEarly: string | undefined;
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        exitedEarly = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve();
      });
      child.once('error', (error) => {
        exitedEarly = error.message;
        resolve();
      });
    });
    process.on('exit', this.onParentExit);

    const abort = new AbortController();
    void this.exited.then(() => abort.abort());
    try {
      await waitForDevServer({
        address: this.options.address,
        namespace: SYSTEM_NAMESPACE,
        searchAttributeNames: [],
        deadline: Date.now() + (this.options.startTimeoutMs ?? 120_000),
        signal: abort.signal,
      });
    } catch (error) {
      const lastLines = this.output.format(20);
      await this.stop();
      const why = exitedEarly
        ? `exited (${exitedEarly})`
        : error instanceof DevServerNotReadyError
          ? `did not answer (last check: ${error.lastProblem})`
          : String(error);
      throw new SetupError(`The Temporal server ${why}: \`${formatCommand(this.options.serverPath, this.args)}\`. Its last lines of output:\n${lastLines}`);
    }
  }

  /** SIGKILL: no shutdown of any kind. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    if (!this.running()) return;
    this.stopping = true;
    this.child?.kill('SIGKILL');
    await this.exited;
    process.off('exit', this.onParentExit);
  }

  /** SIGTERM, then SIGKILL after 15 s. Resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.running()) {
      this.stopping = true;
      this.child?.kill('SIGTERM');
      const result = await Promise.race([this.exited.then(() => 'exited' as const), sleep(STOP_GRACE_MS, 'timeout' as const, { ref: false })]);
      if (result === 'timeout') this.child?.kill('SIGKILL');
    }
    await this.exited;
    process.off('exit', this.onParentExit);
  }

  /** Its last lines of output. */
  recentOutput(): string[] {
    return this.output.lines();
  }

  private running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  }
}

/**
 * A server log line as a person reads it: the JSON lines' level, message and error, without the
 * stack trace that makes each of them several kilobytes long. Other lines as they are.
 */
export function briefServerLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown; error?: unknown };
    const text = (value: unknown): string => (typeof value === 'string' ? value : '');
    const error = text(entry.error) === '' ? '' : `: ${text(entry.error)}`;
    return `${text(entry.level) || '?'} ${text(entry.msg)}${error}`;
  } catch {
    return line;
  }
}

/**
 * Errors and worse, except a request given up by its caller ("context canceled"): a worker's long
 * polls and a client's waits end that way all the time, most under load, and mean nothing.
 */
function isWorthForwarding(brief: string): boolean {
  return /^(error|dpanic|panic|fatal)\b/.test(brief) && !brief.endsWith('context canceled');
}
