// The token side of the simulator on the wire: stable_token, api_component_token and
// api_authorizer_token, with the same call log and injected faults as the link endpoints. Secrets
// in bodies and tokens in query strings are masked before anything is recorded or logged.
import { setTimeout as sleep } from 'node:timers/promises';
import { type SimulatorState } from './simulator-state';
import { TokenEndpoint } from './token-types';
import { weChatError } from './wechat-errors';
import { errcodeOf, faultResponse, json, parseBody, type SimRequest, type SimResponse, type WeChatCallOptions } from './wechat-endpoints';

/** The token endpoint served at each path. */
export const TOKEN_PATHS: Readonly<Record<string, TokenEndpoint>> = {
  '/cgi-bin/stable_token': TokenEndpoint.StableToken,
  '/cgi-bin/component/api_component_token': TokenEndpoint.ComponentToken,
  '/cgi-bin/component/api_authorizer_token': TokenEndpoint.AuthorizerToken,
};

/** Body fields whose values are secrets: the call log shows `***` instead. */
export const SECRET_BODY_FIELDS: readonly string[] = ['secret', 'component_appsecret', 'component_verify_ticket', 'authorizer_refresh_token'];

/** The body field naming the account (or platform) whose token is asked for: the call's `accountAppId`. */
const ACCOUNT_FIELD: Readonly<Record<TokenEndpoint, string>> = {
  [TokenEndpoint.StableToken]: 'appid',
  [TokenEndpoint.ComponentToken]: 'component_appid',
  [TokenEndpoint.AuthorizerToken]: 'authorizer_appid',
};

/** Answers one request to a token endpoint (see {@link TOKEN_PATHS}) and records it in the call log. */
export async function answerTokenCall(
  state: SimulatorState,
  endpoint: TokenEndpoint,
  request: SimRequest,
  options: WeChatCallOptions = {},
): Promise<SimResponse> {
  const url = new URL(request.url, 'http://simulator.invalid');
  const parsed = parseBody(request.body);
  const fields = parsed.kind === 'object' ? parsed.value : {};
  const named = fields[ACCOUNT_FIELD[endpoint]];
  const accountAppId = typeof named === 'string' && named !== '' ? named : null;
  const record = state.beginCall({
    method: request.method,
    url: request.url,
    endpoint,
    accountAppId,
    miniProgramAppId: null,
    body: parsed.kind === 'object' ? maskSecrets(parsed.value) : '***',
  });

  let response: SimResponse;
  let faulted = false;
  if (request.method !== 'POST') {
    response = json(200, weChatError(43002));
  } else if (parsed.kind === 'empty') {
    response = json(200, weChatError(44002));
  } else if (parsed.kind === 'invalid') {
    response = json(200, weChatError(47001));
  } else {
    const fault = accountAppId === null ? null : state.takeFault({ endpoint, accountAppId, miniProgramAppId: null });
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs, undefined, { signal: options.signal });
    const faultAnswer = fault === null ? null : faultResponse(fault, endpoint);
    faulted = fault !== null;
    // Read after a delay: a token asked for while another request waited sees that one's effects.
    const componentToken = url.searchParams.get('component_access_token') ?? url.searchParams.get('access_token');
    response = faultAnswer ?? json(200, state.answerTokenRequest(endpoint, componentToken, fields));
  }

  const errcode = errcodeOf(response.body);
  state.finishCall(record, { httpStatus: response.httpStatus, errcode, faulted });
  options.log?.(
    `${request.method} ${record.maskedUrl} -> ${response.httpStatus} errcode=${errcode ?? '-'} account=${accountAppId ?? '-'}${faulted ? ' [fault]' : ''}`,
  );
  return response;
}

/** A copy of a token request body with every secret field shown as `***`. */
export function maskSecrets(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, SECRET_BODY_FIELDS.includes(key) ? '***' : value]));
}
