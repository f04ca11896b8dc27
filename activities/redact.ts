/**
 * Keeping access tokens, secrets, tickets and refresh tokens out of everything a person or a
 * history can read. Masking happens where URLs, errors and log lines are built, so nothing
 * downstream has to remember to do it.
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

const NAMES = SECRET_FIELD_NAMES.join('|');
/** `?access_token=…` / `&secret=…`: the value runs to the next separator, quote or bracket. */
const SECRET_PARAMETER = new RegExp(`([?&;](?:${NAMES})=)[^&#\\s"'()<>]*`, 'gi');
/** `"secret": "…"` in JSON text (a logged body, an error quoting an answer). */
const SECRET_JSON_FIELD = new RegExp(`("(?:${NAMES})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** The password of a URL such as `redis://:password@host:6379`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi;

/** Masks the value of every secret query parameter (access tokens, secrets, tickets) in `text`. */
export function redactTokenParameters(text: string): string {
  return text.replace(SECRET_PARAMETER, `$1${REDACTED}`);
}

/**
 * Masks secret query parameters, secret JSON fields, URL passwords and every literal occurrence
 * of the given secrets in `text` (an error message from a library may quote a token without any
 * name around it).
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let result = redactTokenParameters(text).replace(SECRET_JSON_FIELD, `$1${REDACTED}"`).replace(URL_PASSWORD, `$1${REDACTED}@`);
  for (const secret of secrets) {
    // Very short strings would mask ordinary words; real tokens and secrets are long.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
  }
  return result;
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
