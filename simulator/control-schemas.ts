// The shapes the control API accepts, as zod schemas: strict objects, so that a misspelt field in
// a test's setup fails loudly with its name instead of being ignored.
import { z } from 'zod';
import { WeChatEndpoint } from './sim-types';
import { SimulatorError } from './simulator-error';
import { TokenEndpoint } from './token-types';

const id = z.string().min(1, { error: 'must not be empty' });
const int = z.number().int();
const count = z.number().int().min(0, { error: 'must be >= 0' });
const ms = z.number().min(0, { error: 'must be >= 0' });
const endpointNames = [
  WeChatEndpoint.LinkGet,
  WeChatEndpoint.Link,
  WeChatEndpoint.Unlink,
  TokenEndpoint.StableToken,
  TokenEndpoint.ComponentToken,
  TokenEndpoint.AuthorizerToken,
] as const;
const endpoint = z.enum(endpointNames);

const step = z.strictObject({
  afterPolls: count.optional(),
  afterMs: ms.optional(),
  then: z.union([int, z.literal('vanish')], { error: "must be an integer status or 'vanish'" }),
});

/** `POST /__sim/accounts`. */
export const AccountBody = z.strictObject({ appId: id, accessToken: id.optional(), includeAppId: z.boolean().optional(), appSecret: id.optional() });

/** `POST /__sim/components`. */
export const ComponentBody = z.strictObject({ componentAppId: id, componentAppSecret: id.optional() });

/** `POST /__sim/components/:componentAppId/ticket`. */
export const TicketBody = z.strictObject({ ticket: id.optional() });

/** `POST /__sim/authorizations`. */
export const AuthorizationBody = z.strictObject({ componentAppId: id, authorizerAppId: id, includeAppId: z.boolean().optional() });

/** `POST /__sim/token-policy`: fields left out keep their value. */
export const TokenPolicyBody = z.strictObject({
  lifetimeMs: ms.optional(),
  earlyRefreshMs: ms.optional(),
  graceMs: ms.optional(),
  ticketLifetimeMs: ms.optional(),
  rotateRefreshTokens: z.boolean().optional(),
});

/** `POST /__sim/accounts/:appId/token`. */
export const TokenBody = z.strictObject({ accessToken: id });

/** `POST /__sim/mini-programs/:appid`. */
/** `POST /__sim/quotas`: one mini program's or one account's link limits (89007/89009, 89016/89017). */
export const QuotaBody = z.strictObject({
  miniProgramAppId: id.optional(),
  accountAppId: id.optional(),
  monthly: int.nullable().optional(),
  total: int.nullable().optional(),
});

export const MiniProgramBody = z.strictObject({
  username: id.optional(),
  nickname: z.string().optional(),
  headimgUrl: z.string().optional(),
  email: z.string().optional(),
  linkErrcode: int.nullable().optional(),
  linkErrmsg: z.string().nullable().optional(),
  nearby: z.boolean().optional(),
  store: z.boolean().optional(),
});

/** `POST /__sim/entries`: the pair, a status, and any item field under WeChat's own name. */
export const SeedEntryBody = z.strictObject({
  accountAppId: id,
  miniProgramAppId: id,
  status: int,
  unlinkPending: z.boolean().optional(),
  username: id.optional(),
  source: z.string().optional(),
  nickname: z.string().optional(),
  selected: int.optional(),
  nearby_display_status: int.optional(),
  released: int.optional(),
  headimg_url: z.string().optional(),
  func_infos: z.array(z.strictObject({ status: int, id: int, name: z.string() })).optional(),
  copy_verify_status: int.optional(),
  email: z.string().optional(),
});

/** `POST /__sim/scripts/link`. */
export const LinkScriptBody = z.strictObject({ accountAppId: id, miniProgramAppId: id, steps: z.array(step) });

/** `POST /__sim/scripts/unlink`. */
export const UnlinkScriptBody = z.strictObject({
  accountAppId: id,
  miniProgramAppId: id,
  afterPolls: count.optional(),
  afterMs: ms.optional(),
});

/** `POST /__sim/act`. */
export const ActBody = z.strictObject({
  accountAppId: id,
  miniProgramAppId: id,
  action: z.union([z.enum(['confirm-account', 'confirm-mini-program', 'refuse', 'vanish', 'confirm-unlink']), z.strictObject({ setStatus: int })], {
    error: "must be 'confirm-account', 'confirm-mini-program', 'refuse', 'vanish', 'confirm-unlink' or {\"setStatus\": <integer>}",
  }),
});

/** `POST /__sim/faults`. */
export const FaultBody = z.strictObject({
  accountAppId: id.optional(),
  endpoint: endpoint.optional(),
  miniProgramAppId: id.optional(),
  times: z.number().int().min(1, { error: 'must be >= 1' }).optional(),
  errcode: int.optional(),
  errmsg: z.string().optional(),
  httpStatus: z.number().int().min(200).max(599).optional(),
  rawBody: z.string().optional(),
  oversizeBytes: z.number().int().min(1).optional(),
  delayMs: ms.optional(),
  afterApplying: z.boolean().optional(),
});

/** The query of `GET /__sim/calls` (empty parameters count as absent). */
export const CallsQuery = z.strictObject({
  endpoint: z.enum([...endpointNames, 'other']).optional(),
  accountAppId: id.optional(),
  miniProgramAppId: id.optional(),
});

/**
 * Parses `value` with `schema`, or throws a {@link SimulatorError} naming the first bad field,
 * worded `"<field>: <what is wrong>"` (`steps[0].then: must be an integer status or 'vanish'`).
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new SimulatorError('body', 'is invalid');
  if (issue.code === 'unrecognized_keys') {
    throw new SimulatorError(formatPath([...issue.path, issue.keys[0] ?? '?']), 'is not a known field');
  }
  const field = issue.path.length > 0 ? formatPath(issue.path) : 'body';
  const problem = issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  throw new SimulatorError(field, problem);
}

/** `["steps", 0, "then"]` → `steps[0].then`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}
