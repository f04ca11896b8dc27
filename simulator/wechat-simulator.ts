// The simulator as a running HTTP server: WeChat's endpoints and the /__sim/ control routes on
// one port, over one in-memory model that in-process tests drive directly.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ADMIN_PAGE_HTML } from './admin-page';
import { Chaos, type ChaosConfig, type ChaosStatus, answerChaosControl } from './chaos';
import { CONTROL_PREFIX, answerControlCall } from './control-api';
import { BodyTooLargeError, readBody, send, sendJson } from './http-io';
import { type RandomAdmins } from './link-quotas';
import { type ScriptStep } from './sim-types';
import { SimulatorState } from './simulator-state';
import { TOKEN_PATHS, answerTokenCall } from './token-endpoints';
import { type TokenPolicy } from './token-types';
import { answerWeChatCall } from './wechat-endpoints';

/** Where the admin page is served (also at `/`). */
export const ADMIN_PATH = '/admin';

/** Options of {@link startWeChatSimulator}. */
export interface WeChatSimulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Script for entries that `wxamplink` creates without an explicit one. @default none: admins never act */
  defaultScript?: readonly ScriptStep[];
  /** Admins who act at random times on entries created without a script. @default none */
  randomAdmins?: RandomAdmins;
  /** Receives one line per request, tokens masked. @default no logging */
  log?: (line: string) => void;
  /** Lifetimes of the tokens and tickets the token endpoints issue. @default WeChat's */
  tokenPolicy?: Partial<TokenPolicy>;
}

/** The names of the model operations a running simulator offers in-process. */
export const WECHAT_SIMULATOR_MODEL_METHODS = [
  'registerAccount',
  'revokeToken',
  'setAccessToken',
  'configureMiniProgram',
  'seedEntry',
  'scriptLink',
  'scriptUnlink',
  'act',
  'entries',
  'injectFault',
  'clearFaults',
  'calls',
  'countCalls',
  'resetCalls',
  'reset',
  'snapshot',
  'setLinkQuota',
  'registerComponent',
  'pushComponentTicket',
  'authorizeAccount',
  'setTokenPolicy',
  'secretsIssued',
] as const;

/** The model operations a running simulator offers in-process (see {@link SimulatorState}). */
export type WeChatSimulatorModel = Pick<SimulatorState, (typeof WECHAT_SIMULATOR_MODEL_METHODS)[number]>;

/** A running WeChat API simulator: where it listens, how to stop it, and its model. */
export interface WeChatSimulator extends WeChatSimulatorModel {
  /** `http://host:port`, no trailing slash: the value for `WECHAT_API_BASE_URL`. */
  readonly baseUrl: string;
  /** The port actually listened on (useful with `port: 0`). */
  readonly port: number;
  /** Stops listening, drops every connection (idle keep-alive ones too) and pending delayed answers. */
  close(): Promise<void>;
  /** Turns chaos mode on with `config` (seeded random failures, see `chaos.ts`), or off with `null`. */
  setChaos(config: ChaosConfig | null): ChaosStatus;
  /** Chaos mode's configuration and what it did so far. */
  chaosStatus(): ChaosStatus;
}

/**
 * Starts the simulator and resolves once it listens. Rejects with the listen error (for example
 * `EADDRINUSE`) when the port cannot be had.
 */
export async function startWeChatSimulator(options: WeChatSimulatorOptions = {}): Promise<WeChatSimulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port: must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const simulator = new RunningSimulator(options);
  await simulator.listen(port, options.host ?? '127.0.0.1');
  return simulator;
}

/** The server behind {@link WeChatSimulator}; it is the model itself, plus the socket side. */
class RunningSimulator extends SimulatorState implements WeChatSimulator {
  private readonly server: Server;
  /** Aborts delayed fault answers when the simulator closes, so close() never waits for them. */
  private readonly closing = new AbortController();
  private closed: Promise<void> | undefined;
  private readonly logLine: ((line: string) => void) | undefined;
  private address: { baseUrl: string; port: number } | undefined;
  private readonly chaos = new Chaos();

  constructor(options: WeChatSimulatorOptions) {
    super({
      defaultScript: options.defaultScript,
      ...(options.randomAdmins && { randomAdmins: options.randomAdmins }),
      ...(options.tokenPolicy && { tokenPolicy: options.tokenPolicy }),
    });
    this.logLine = options.log;
    // Bound, so that `const { act } = simulator` works as tests tend to expect.
    for (const name of WECHAT_SIMULATOR_MODEL_METHODS) {
      const method = Reflect.get(SimulatorState.prototype, name) as (...args: unknown[]) => unknown;
      Object.defineProperty(this, name, { value: method.bind(this), enumerable: false, writable: true, configurable: true });
    }
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  get baseUrl(): string {
    return this.listening().baseUrl;
  }

  get port(): number {
    return this.listening().port;
  }

  /** Resolves once listening; rejects with the server's error (EADDRINUSE, EACCES, …). */
  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const actual = (this.server.address() as AddressInfo).port;
    this.address = { port: actual, baseUrl: `http://${urlHost(host)}:${actual}` };
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve, reject) => {
      this.closing.abort();
      this.server.close((err) => (err ? reject(err) : resolve()));
      // server.close() alone waits for idle keep-alive sockets to time out.
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  setChaos(config: ChaosConfig | null): ChaosStatus {
    return this.chaos.configure(config);
  }

  chaosStatus(): ChaosStatus {
    return this.chaos.status();
  }

  private listening(): { baseUrl: string; port: number } {
    if (this.address === undefined) throw new Error('the simulator is not listening');
    return this.address;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    try {
      const body = await readBody(req);
      const pathname = url.split('?')[0] ?? '';
      if (method === 'GET' && (pathname === '/' || pathname === ADMIN_PATH)) {
        send(res, 200, 'text/html; charset=utf-8', ADMIN_PAGE_HTML);
        return;
      }
      if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        const answer = answerChaosControl(this.chaos, { method, url, body }) ?? answerControlCall(this, { method, url, body });
        this.logLine?.(`control ${method} ${pathname} -> ${answer.httpStatus}`);
        sendJson(res, answer.httpStatus, answer.body);
        return;
      }
      const tokenEndpoint = TOKEN_PATHS[pathname];
      const request = { method, url, body };
      const callOptions = { signal: this.closing.signal, log: this.logLine };
      // Chaos mode (off unless configured) may answer a WeChat call itself, late, or not at all.
      const chaotic = tokenEndpoint ? null : await this.chaos.serve(this, request, callOptions);
      if (chaotic === 'reset') {
        req.socket.destroy();
        return;
      }
      const answer =
        chaotic ?? (tokenEndpoint ? await answerTokenCall(this, tokenEndpoint, request, callOptions) : await answerWeChatCall(this, request, callOptions));
      send(res, answer.httpStatus, answer.contentType, answer.body);
    } catch (err) {
      if (this.closing.signal.aborted) {
        res.destroy();
      } else if (err instanceof BodyTooLargeError) {
        sendJson(res, 413, { error: `body: ${err.message}` });
      } else {
        // The message never holds a token: nothing in the model puts one into an error.
        const message = err instanceof Error ? err.message : String(err);
        this.logLine?.(`internal error on ${method} ${url.split('?')[0] ?? ''}: ${message}`);
        sendJson(res, 500, { error: `internal: ${message}` });
      }
    }
  }
}

/** The host part of the base URL: a wildcard address is reached through loopback, IPv6 in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
