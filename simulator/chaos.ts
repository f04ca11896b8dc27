// Chaos mode: a seeded share of the WeChat-side calls fail in the ways WeChat and the network
// fail (-1, HTTP 502, garbage, an answer too slow to wait for, a reset connection, 45011). Apart
// from the FIFO of scripted faults, so that reliability tests can shake every call at random
// while ordinary tests keep their exact, one-call-at-a-time faults.
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { maskAccessToken } from './call-log';
import { CONTROL_PREFIX, type ControlResponse } from './control-api';
import { type WeChatEndpoint } from './sim-types';
import { SimulatorError, isSimulatorError, requireCount, requireMs } from './simulator-error';
import { type SimulatorState } from './simulator-state';
import {
  type SimRequest,
  type SimResponse,
  type WeChatCallOptions,
  WECHAT_CONTENT_TYPE,
  WECHAT_PATHS,
  answerWeChatCall,
  bodyForLog,
  errcodeOf,
  json,
  parseBody,
} from './wechat-endpoints';
import { weChatError } from './wechat-errors';

/** The ways a call can fail under chaos. */
export const ChaosKind = {
  /** errcode -1 (system busy) with HTTP 200; nothing happens. */
  SystemBusy: 'system_busy',
  /** HTTP 502 from a gateway, with an HTML body; nothing happens. */
  BadGateway: 'http_502',
  /** HTTP 200 whose body is not JSON; nothing happens. */
  Garbage: 'garbage',
  /** The call takes effect, but its answer comes `slowMs` later: past the client's time-out, it is lost. */
  Slow: 'slow',
  /** The connection is reset before the call is read: nothing happens, no answer. */
  Reset: 'reset',
  /** errcode 45011 (frequency limit); nothing happens. */
  RateLimited: 'rate_limited',
} as const;
/** One of {@link ChaosKind}'s values. */
export type ChaosKind = (typeof ChaosKind)[keyof typeof ChaosKind];

const ALL_KINDS: readonly ChaosKind[] = Object.values(ChaosKind);
const LINK_ENDPOINTS: readonly WeChatEndpoint[] = Object.values(WECHAT_PATHS);

/** Input of {@link Chaos.configure} (and of `POST /__sim/chaos`). */
export interface ChaosConfig {
  /** Seed of the pseudo-random sequence: the same seed and the same calls in the same order fail alike. */
  seed: number;
  /** Share of the matching calls that fail, from 0 to 1. */
  rate: number;
  /** The failures to pick from, uniformly. @default every {@link ChaosKind} */
  kinds?: ChaosKind[];
  /** Only calls to these endpoints. @default the three link endpoints */
  endpoints?: WeChatEndpoint[];
  /** Only calls made with these accounts' tokens. @default any account */
  accountAppIds?: string[];
  /** How late a {@link ChaosKind.Slow} answer comes. @default 15000 */
  slowMs?: number;
  /**
   * Every matching call that does not fail is answered this much later, after it took effect
   * (keeps calls in flight, e.g. to kill a worker while sends wait for their answers). @default 0
   */
  latencyMs?: number;
  /** Fail at most this many calls, then let every call through (latency still applies). @default no limit */
  limit?: number;
}

/** What chaos is set to and what it did since. */
export interface ChaosStatus {
  config: ChaosConfig | null;
  /** Calls that matched the filters. */
  seen: number;
  /** Calls that failed, in total and per kind. */
  struck: number;
  byKind: Record<ChaosKind, number>;
}

/** How chaos handles one call: an answer to send, a connection to reset, or nothing (the normal path). */
export type ChaosOutcome = SimResponse | 'reset' | null;

/** Checks a chaos configuration; the error names the field. */
export function normalizeChaosConfig(input: unknown): ChaosConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SimulatorError('chaos', 'must be an object');
  const config = input as Record<string, unknown>;
  const known = ['seed', 'rate', 'kinds', 'endpoints', 'accountAppIds', 'slowMs', 'latencyMs', 'limit'];
  const unknown = Object.keys(config).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new SimulatorError(unknown, `unknown field; expected one of ${known.join(', ')}`);
  if (!Number.isInteger(config.seed)) throw new SimulatorError('seed', 'must be an integer');
  if (typeof config.rate !== 'number' || !(config.rate >= 0 && config.rate <= 1)) throw new SimulatorError('rate', 'must be a number from 0 to 1');
  const kinds = listOf('kinds', config.kinds, ALL_KINDS);
  if (kinds?.length === 0) throw new SimulatorError('kinds', 'must name at least one kind');
  const endpoints = listOf('endpoints', config.endpoints, LINK_ENDPOINTS);
  const accountAppIds = listOf('accountAppIds', config.accountAppIds, null);
  requireMs('slowMs', config.slowMs as number | undefined);
  requireMs('latencyMs', config.latencyMs as number | undefined);
  requireCount('limit', config.limit as number | undefined);
  return {
    seed: config.seed as number,
    rate: config.rate,
    ...(kinds && { kinds: kinds as ChaosKind[] }),
    ...(endpoints && { endpoints: endpoints as WeChatEndpoint[] }),
    ...(accountAppIds && { accountAppIds }),
    ...(config.slowMs !== undefined && { slowMs: config.slowMs as number }),
    ...(config.latencyMs !== undefined && { latencyMs: config.latencyMs as number }),
    ...(config.limit !== undefined && { limit: config.limit as number }),
  };
}

function listOf(field: string, value: unknown, allowed: readonly string[] | null): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw new SimulatorError(field, 'must be a list of strings');
  const bad = allowed === null ? undefined : (value as string[]).find((v) => !allowed.includes(v));
  if (bad !== undefined) throw new SimulatorError(field, `${JSON.stringify(bad)} is not one of ${allowed?.join(', ') ?? ''}`);
  return [...(value as string[])];
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1) (tests use it to pick their moments too). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emptyTally = (): Record<ChaosKind, number> => Object.fromEntries(ALL_KINDS.map((k) => [k, 0])) as Record<ChaosKind, number>;

/** The chaos of one simulator: off until configured. */
export class Chaos {
  private config: ChaosConfig | null = null;
  private random: () => number = Math.random;
  private seen = 0;
  private struck = 0;
  private byKind = emptyTally();

  /** Turns chaos on (or re-seeds it) with `config`, counters reset; `null` turns it off. */
  configure(config: ChaosConfig | null): ChaosStatus {
    this.config = config === null ? null : normalizeChaosConfig(config);
    this.random = seededRandom(this.config?.seed ?? 0);
    this.seen = 0;
    this.struck = 0;
    this.byKind = emptyTally();
    return this.status();
  }

  /** The configuration and the counters. */
  status(): ChaosStatus {
    return { config: this.config === null ? null : structuredClone(this.config), seen: this.seen, struck: this.struck, byKind: { ...this.byKind } };
  }

  /**
   * Serves a WeChat-side call under chaos. Returns null when chaos leaves the call alone (the
   * caller answers it normally); otherwise the answer (recorded in the call log, `faulted`), or
   * `'reset'` when the caller must destroy the connection.
   */
  async serve(state: SimulatorState, request: SimRequest, options: WeChatCallOptions = {}): Promise<ChaosOutcome> {
    const config = this.config;
    if (config === null) return null;
    const url = new URL(request.url, 'http://simulator.invalid');
    const endpoint = WECHAT_PATHS[url.pathname];
    const token = url.searchParams.get('access_token');
    const check = token ? state.checkToken(token) : null;
    // Calls that WeChat would refuse anyway (unknown path, bad token) are left to the endpoints.
    if (endpoint === undefined || check === null || !check.ok) return null;
    if (!(config.endpoints ?? LINK_ENDPOINTS).includes(endpoint)) return null;
    if (config.accountAppIds !== undefined && !config.accountAppIds.includes(check.appId)) return null;

    this.seen += 1;
    const strike = this.random() < config.rate && (config.limit === undefined || this.struck < config.limit);
    const kinds = config.kinds ?? ALL_KINDS;
    const kind = strike ? kinds[Math.floor(this.random() * kinds.length)] : undefined;
    if (kind === undefined) {
      if (!config.latencyMs) return null;
      return this.answerLate(state, request, options, config.latencyMs);
    }
    this.struck += 1;
    this.byKind[kind] += 1;
    options.log?.(`${request.method} ${maskAccessToken(request.url)} -> chaos ${kind} account=${check.appId}`);
    switch (kind) {
      case ChaosKind.Slow:
        return this.answerLate(state, request, options, config.slowMs ?? 15_000);
      case ChaosKind.Reset:
        record(state, request, endpoint, check.appId, null);
        return 'reset';
      case ChaosKind.SystemBusy:
        return record(state, request, endpoint, check.appId, json(200, weChatError(-1)));
      case ChaosKind.RateLimited:
        return record(state, request, endpoint, check.appId, json(200, weChatError(45011)));
      case ChaosKind.BadGateway:
        return record(state, request, endpoint, check.appId, {
          httpStatus: 502,
          contentType: 'text/html',
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        });
      case ChaosKind.Garbage:
        return record(state, request, endpoint, check.appId, { httpStatus: 200, contentType: WECHAT_CONTENT_TYPE, body: '{"errcode":0,"errmsg":"ok","wxop' });
    }
  }

  /** The call takes effect now; its answer leaves `ms` later (never, if the simulator closes first). */
  private async answerLate(state: SimulatorState, request: SimRequest, options: WeChatCallOptions, ms: number): Promise<SimResponse> {
    const response = await answerWeChatCall(state, request, options);
    // Hundreds of late answers may wait on the simulator's one closing signal at once.
    if (options.signal) setMaxListeners(0, options.signal);
    await sleep(ms, undefined, { signal: options.signal });
    return response;
  }
}

/** Records a call that chaos answered (or reset: `response` null) as a faulted call. */
function record(state: SimulatorState, request: SimRequest, endpoint: WeChatEndpoint, accountAppId: string, response: SimResponse | null): SimResponse | null {
  const parsed = parseBody(request.body);
  const appid = parsed.kind === 'object' && typeof parsed.value.appid === 'string' ? parsed.value.appid : null;
  const call = state.beginCall({
    method: request.method,
    url: request.url,
    endpoint,
    accountAppId,
    miniProgramAppId: appid,
    body: parsed.kind === 'object' ? parsed.value : bodyForLog(request.body),
  });
  // A reset call has no answer: its status and errcode stay null, as for one still pending.
  if (response !== null) state.finishCall(call, { httpStatus: response.httpStatus, errcode: errcodeOf(response.body), faulted: true });
  else call.faulted = true;
  return response;
}

/** The control route of chaos: `GET` its status, `POST` a {@link ChaosConfig}, `POST …/off`. */
export const CHAOS_CONTROL_PATH = `${CONTROL_PREFIX}/chaos`;

/**
 * Answers a control request to {@link CHAOS_CONTROL_PATH}, or returns null for any other path
 * (the other control routes answer those). Errors are `400 {error: "<field>: <problem>"}`.
 */
export function answerChaosControl(chaos: Chaos, request: SimRequest): ControlResponse | null {
  const pathname = request.url.split('?')[0] ?? '';
  if (pathname !== CHAOS_CONTROL_PATH && pathname !== `${CHAOS_CONTROL_PATH}/off`) return null;
  const off = pathname.endsWith('/off');
  if (request.method === 'GET' && !off) return { httpStatus: 200, body: chaos.status() };
  if (request.method !== 'POST') return { httpStatus: 405, body: { error: `method: ${pathname} takes ${off ? 'POST' : 'GET or POST'}` } };
  if (off) return { httpStatus: 200, body: chaos.configure(null) };
  try {
    return { httpStatus: 200, body: chaos.configure(normalizeChaosConfig(JSON.parse(request.body || 'null') as unknown)) };
  } catch (err) {
    if (isSimulatorError(err)) return { httpStatus: 400, body: { error: err.message } };
    if (err instanceof SyntaxError) return { httpStatus: 400, body: { error: 'body: is not valid JSON' } };
    throw err;
  }
}
