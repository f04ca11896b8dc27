/**
 * Keeping access tokens, secrets, tickets and refresh tokens out of everything a person or a
 * history can read. Masking happens where URLs, errors and log lines are built, so nothing
 * downstream has to remember to do it.
 *
 * Two layers: literal secrets first (the values the caller knows: a token, the configured URLs'
 * credentials, see {@link urlSecrets}), then patterns (secret-named query parameters and JSON
 * fields, URL user-info) for secrets nobody listed.
 */

/** What a masked secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Names under which WeChat's APIs carry secrets, in query strings and in JSON bodies: every
 * kind of access token, app and platform secrets, the verify ticket and refresh tokens.
 */
export const SECRET_FIELD_NAMES: readonly string[] = [
  'access_token',
  'component_access_token',
  'authorizer_access_token',
  'secret',
  'appsecret',
  'component_appsecret',
  'component_verify_ticket',
  'ComponentVerifyTicket',
  'authorizer_refresh_token',
  'refresh_token',
];

/**
 * Names under which other services (a platform's token service, a gateway in front of WeChat)
 * usually carry credentials: API keys, bare tokens, request signatures, passwords, OAuth client
 * secrets and WeChat's mini-program `session_key`. Compared without case, `_` or `-`, so
 * `apiKey`, `api_key` and `API-KEY` are one name. Plain identifiers (`appid`, `id`, `user`) are
 * not on it: masking them would hide what an operator needs to read.
 */
export const CREDENTIAL_PARAMETER_NAMES: readonly string[] = [
  'apikey',
  'key',
  'token',
  'auth',
  'authorization',
  'auth_token',
  'sign',
  'signature',
  'sig',
  'password',
  'passwd',
  'pwd',
  'client_secret',
  'private_token',
  'access_key',
  'secret_key',
  'session_key',
  'credential',
  'credentials',
];

const normalizedName = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
const SECRET_NAMES = new Set([...SECRET_FIELD_NAMES, ...CREDENTIAL_PARAMETER_NAMES].map(normalizedName));

/** True for a query parameter, JSON field or log field whose value is a secret (see the two lists above). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(normalizedName(name));
}

/** `?name=value` / `&name=value`: the value runs to the next separator, quote or bracket. */
const QUERY_PARAMETER = /([?&;]([\w.%-]+)=)[^&#\s"'()<>]*/g;
/** `"name": "value"` in JSON text (a logged body, an error quoting an answer). */
const JSON_STRING_FIELD = /("([^"\\]+)"\s*:\s*")(?:[^"\\]|\\.)*"/g;
/** The password of a URL such as `redis://:password@host:6379` (the user name stays readable). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi;
/** User-info without a password, `https://TOKEN@host`: a lone user name there is a credential. */
const URL_USER_ONLY = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+@/gi;

/** Masks the value of every secret-named query parameter (access tokens, secrets, API keys) in `text`. */
export function redactTokenParameters(text: string): string {
  return text.replace(QUERY_PARAMETER, (whole, prefix: string, name: string) => (isSecretName(safeDecode(name)) ? `${prefix}${REDACTED}` : whole));
}

/**
 * Masks every literal occurrence of the given secrets in `text` (an error message from a library
 * may quote a token without any name around it), then secret query parameters, secret JSON
 * fields and URL user-info.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    // Very short strings would mask ordinary words; real tokens and secrets are long.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
  }
  return redactTokenParameters(result)
    .replace(JSON_STRING_FIELD, (whole, prefix: string, name: string) => (isSecretName(name) ? `${prefix}${REDACTED}"` : whole))
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(URL_USER_ONLY, `$1${REDACTED}@`);
}

/**
 * The credentials a configured URL carries, to pass to {@link redact} as literal secrets: the
 * values of its secret-named query parameters and its user-info password (or its lone user name),
 * each as written and decoded. Empty for a URL that does not parse.
 */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const raw: string[] = [];
  for (const pair of parsed.search.replace(/^\?/, '').split('&')) {
    const at = pair.indexOf('=');
    if (at > 0 && isSecretName(safeDecode(pair.slice(0, at)))) raw.push(pair.slice(at + 1));
  }
  if (parsed.password !== '') raw.push(parsed.password);
  else if (parsed.username !== '') raw.push(parsed.username);
  const all = raw.flatMap((value) => [value, safeDecode(value.replace(/\+/g, ' '))]).filter((value) => value !== '');
  return [...new Set(all)];
}

/** A copy of `error` whose message and stack are redacted, with no other field (libraries attach requests to errors). */
export function redactedError(error: unknown, secrets: Iterable<string> = []): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const list = [...secrets];
  const copy = new Error(redact(original.message, list));
  copy.name = original.name;
  copy.stack = redact(original.stack ?? '', list);
  return copy;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
