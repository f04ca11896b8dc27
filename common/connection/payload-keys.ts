/**
 * `WXAMP_PAYLOAD_KEYS`: the AES-256 keys of payload encryption, the encrypting key first. Read
 * strictly; an error names the variable and the entry, and never quotes key material (a
 * malformed entry may be a key with its id missing).
 */

/** The environment variable that holds the payload keys. */
export const PAYLOAD_KEYS_VARIABLE = 'WXAMP_PAYLOAD_KEYS';

/** One AES-256 key and the id that payloads encrypted with it carry in their metadata. */
export interface PayloadKey {
  /** Letters, digits, `.`, `_`, `-`; starts with a letter (so a JSON object keeps its order). */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** A bad value of {@link PAYLOAD_KEYS_VARIABLE}; the message names the variable, never a key. */
export class PayloadKeysError extends Error {
  /** The variable (or other source) that holds the bad value. */
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'PayloadKeysError';
    this.variable = variable;
  }
}

const KEY_BYTES = 32;
// Starting with a letter keeps ids such as "1" or "2024" out: JSON.parse puts integer-like
// keys first, which would silently change the encrypting key.
const KEY_ID = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const SHAPE = 'a comma list of keyId:base64key (newest first), or a JSON object {"keyId": "base64key", …}';

/**
 * Parses the payload keys: `k2:<base64>,k1:<base64>` or `{"k2": "<base64>", "k1": "<base64>"}`.
 * The first key encrypts; every key decrypts, so after a rotation the old keys still read old
 * histories. Keys are 32 random bytes in base64 (`openssl rand -base64 32`).
 * @param variable the name used in error messages.
 * @throws {@link PayloadKeysError} naming the variable and the entry.
 */
export function parsePayloadKeys(text: string, variable: string = PAYLOAD_KEYS_VARIABLE): PayloadKey[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new PayloadKeysError(variable, `must list at least one key: ${SHAPE}`);
  const entries = trimmed.startsWith('{') || trimmed.startsWith('[') ? jsonEntries(trimmed, variable) : listEntries(trimmed, variable);
  const keys: PayloadKey[] = [];
  entries.forEach(([id, encoded], index) => {
    const where = `entry ${index + 1}`;
    if (!KEY_ID.test(id)) {
      throw new PayloadKeysError(variable, `${where}: the key id must start with a letter and hold only letters, digits, '.', '_' or '-' (at most 64)`);
    }
    if (keys.some((key) => key.id === id)) throw new PayloadKeysError(variable, `key id '${id}' is listed twice`);
    if (typeof encoded !== 'string' || !BASE64.test(encoded)) {
      throw new PayloadKeysError(variable, `the key of '${id}' must be a base64 string (e.g. from \`openssl rand -base64 32\`)`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new PayloadKeysError(variable, `the key of '${id}' must be ${KEY_BYTES} bytes in base64 (AES-256), not ${key.length} bytes`);
    }
    keys.push({ id, key });
  });
  return keys;
}

/** Reads the keys from `env`: undefined when the variable is unset or blank (encryption off). */
export function payloadKeysFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadKey[] | undefined {
  const text = env[PAYLOAD_KEYS_VARIABLE];
  if (text === undefined || text.trim() === '') return undefined;
  return parsePayloadKeys(text);
}

function listEntries(text: string, variable: string): Array<[string, unknown]> {
  return text.split(',').map((entry, index) => {
    const item = entry.trim();
    const colon = item.indexOf(':');
    if (colon <= 0) throw new PayloadKeysError(variable, `entry ${index + 1} must be keyId:base64key; expected ${SHAPE}`);
    return [item.slice(0, colon).trim(), item.slice(colon + 1).trim()];
  });
}

function jsonEntries(text: string, variable: string): Array<[string, unknown]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error, which may be a key: say only that it failed.
    throw new PayloadKeysError(variable, `is not valid JSON; expected ${SHAPE}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PayloadKeysError(variable, `must be a JSON object of key id → base64 key; expected ${SHAPE}`);
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw new PayloadKeysError(variable, `must list at least one key: ${SHAPE}`);
  return entries;
}
