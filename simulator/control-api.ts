// The control surface under /__sim/: the same model operations the in-process API offers, as
// JSON over HTTP, for the standalone simulator and for tests in other processes. Never logged as
// WeChat calls, and never answers with a token except where one was asked for (accounts).
import { type z } from 'zod';
import {
  AccountBody,
  ActBody,
  AuthorizationBody,
  CallsQuery,
  ComponentBody,
  FaultBody,
  LinkScriptBody,
  MiniProgramBody,
  QuotaBody,
  SeedEntryBody,
  TicketBody,
  TokenBody,
  TokenPolicyBody,
  UnlinkScriptBody,
  parseInput,
} from './control-schemas';
import { SimulatorError, isSimulatorError } from './simulator-error';
import { type SimulatorState } from './simulator-state';
import { type SimRequest } from './wechat-endpoints';

/** The path prefix of every control route. */
export const CONTROL_PREFIX = '/__sim';

/** A control answer: an HTTP status and a JSON-able body (`{ error }` on failure). */
export interface ControlResponse {
  httpStatus: number;
  body: unknown;
}

interface RouteContext {
  /** Decoded path parameters, in order. */
  params: string[];
  body: unknown;
  query: URLSearchParams;
}

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  run(state: SimulatorState, ctx: RouteContext): unknown;
}

const ok = { ok: true } as const;
const param = (ctx: RouteContext, i: number): string => ctx.params[i] ?? '';
const parse = <T extends z.ZodType>(schema: T, ctx: RouteContext): z.output<T> => parseInput(schema, ctx.body);

/** Every control route, matched in order against the path below {@link CONTROL_PREFIX}. */
const ROUTES: readonly Route[] = [
  { method: 'GET', path: /^\/health$/, run: () => ok },
  { method: 'GET', path: /^\/state$/, run: (s) => s.snapshot() },
  { method: 'POST', path: /^\/reset$/, run: (s) => (s.reset(), ok) },
  { method: 'POST', path: /^\/accounts$/, run: (s, c) => s.registerAccount(parse(AccountBody, c)) },
  { method: 'POST', path: /^\/accounts\/([^/]+)\/revoke-token$/, run: (s, c) => s.revokeToken(param(c, 0)) },
  { method: 'POST', path: /^\/accounts\/([^/]+)\/token$/, run: (s, c) => s.setAccessToken(param(c, 0), parse(TokenBody, c).accessToken) },
  { method: 'GET', path: /^\/accounts\/([^/]+)\/entries$/, run: (s, c) => ({ items: s.entries(param(c, 0)) }) },
  { method: 'POST', path: /^\/components$/, run: (s, c) => s.registerComponent(parse(ComponentBody, c)) },
  { method: 'POST', path: /^\/components\/([^/]+)\/ticket$/, run: (s, c) => ({ ticket: s.pushComponentTicket(param(c, 0), parse(TicketBody, c).ticket) }) },
  { method: 'POST', path: /^\/authorizations$/, run: (s, c) => s.authorizeAccount(parse(AuthorizationBody, c)) },
  { method: 'POST', path: /^\/token-policy$/, run: (s, c) => s.setTokenPolicy(parse(TokenPolicyBody, c)) },
  { method: 'POST', path: /^\/mini-programs\/([^/]+)$/, run: (s, c) => s.configureMiniProgram(param(c, 0), parse(MiniProgramBody, c)) },
  {
    method: 'POST',
    path: /^\/entries$/,
    run: (s, c) => {
      const { accountAppId, miniProgramAppId, ...seed } = parse(SeedEntryBody, c);
      return { item: s.seedEntry(accountAppId, miniProgramAppId, seed) };
    },
  },
  {
    method: 'POST',
    path: /^\/scripts\/link$/,
    run: (s, c) => {
      const { accountAppId, miniProgramAppId, steps } = parse(LinkScriptBody, c);
      return { placement: s.scriptLink(accountAppId, miniProgramAppId, steps) };
    },
  },
  {
    method: 'POST',
    path: /^\/scripts\/unlink$/,
    run: (s, c) => {
      const { accountAppId, miniProgramAppId, ...timing } = parse(UnlinkScriptBody, c);
      return { placement: s.scriptUnlink(accountAppId, miniProgramAppId, timing) };
    },
  },
  {
    method: 'POST',
    path: /^\/act$/,
    run: (s, c) => {
      const { accountAppId, miniProgramAppId, action } = parse(ActBody, c);
      return { item: s.act(accountAppId, miniProgramAppId, action) };
    },
  },
  { method: 'POST', path: /^\/quotas$/, run: (s, c) => (s.setLinkQuota(parse(QuotaBody, c)), ok) },
  { method: 'POST', path: /^\/faults$/, run: (s, c) => s.injectFault(parse(FaultBody, c)) },
  { method: 'POST', path: /^\/faults\/clear$/, run: (s) => (s.clearFaults(), ok) },
  {
    method: 'GET',
    path: /^\/calls$/,
    run: (s, c) => {
      // `?endpoint=&accountAppId=x`: an empty parameter means "any", as in an HTML form.
      const query = Object.fromEntries([...c.query.entries()].filter(([, v]) => v !== ''));
      return { calls: s.calls(parseInput(CallsQuery, query)) };
    },
  },
  { method: 'POST', path: /^\/calls\/reset$/, run: (s) => (s.resetCalls(), ok) },
  { method: 'GET', path: /^\/counts$/, run: (s) => s.snapshot().counts },
];

/**
 * Answers one control request. Input errors are `400 {error: "<field>: <what is wrong>"}`; an
 * unknown route is 404 and a known route with the wrong method 405, both in the same shape.
 */
export function answerControlCall(state: SimulatorState, request: SimRequest): ControlResponse {
  const url = new URL(request.url, 'http://simulator.invalid');
  const subPath = url.pathname.slice(CONTROL_PREFIX.length) || '/';
  const candidates = ROUTES.flatMap((route) => {
    const match = route.path.exec(subPath);
    return match ? [{ route, match }] : [];
  });
  if (candidates.length === 0) return failure(404, 'path', `no control route ${url.pathname}`);
  const found = candidates.find((c) => c.route.method === request.method);
  if (found === undefined) {
    return failure(405, 'method', `${url.pathname} takes ${candidates.map((c) => c.route.method).join(' or ')}`);
  }
  try {
    const params = found.match.slice(1).map((p) => decodeURIComponent(p));
    const result = found.route.run(state, { params, body: parseControlBody(request.body), query: url.searchParams });
    return { httpStatus: 200, body: result };
  } catch (err) {
    if (isSimulatorError(err)) return failure(400, err.field, err.problem);
    throw err;
  }
}

/** A control body: JSON, and an empty body means `{}` so that bodiless POSTs (reset, revoke) need none. */
function parseControlBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new SimulatorError('body', 'is not valid JSON');
  }
}

function failure(httpStatus: number, field: string, problem: string): ControlResponse {
  return { httpStatus, body: { error: new SimulatorError(field, problem).message } };
}
