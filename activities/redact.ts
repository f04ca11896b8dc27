/**
 * Keeping access tokens out of everything a person or a history can read. Masking happens where
 * URLs and errors are built, so nothing downstream has to remember to do it.
 */

/** What a masked secret is replaced with. */
export const REDACTED = '[REDACTED]';

const TOKEN_PARAMETER = /([?&](?:access_token|component_access_token|authorizer_access_token)=)[^&#\s"'()<>]*/gi;

/** Masks the value of every access-token query parameter in `text`. */
export function redactTokenParameters(text: string): string {
  return text.replace(TOKEN_PARAMETER, `$1${REDACTED}`);
}

/**
 * Masks token parameters and every literal occurrence of the given secrets in `text` (an error
 * message from a library may quote the token without the parameter name).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = redactTokenParameters(text);
  for (const secret of secrets) {
    // Very short strings would mask ordinary words; real tokens are long.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
  }
  return result;
}
