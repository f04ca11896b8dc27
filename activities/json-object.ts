/** Reading a WeChat answer body: WeChat answers JSON objects, and anything else is a garbled body. */

/** The body parsed as a JSON object, or `undefined` when it is not one (not JSON, an array, null). */
export function parseJsonObject<T extends object = Record<string, unknown>>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The errcode of an answer, or why it cannot be read. */
export type ErrcodeReading = { ok: true; errcode: number } | { ok: false; why: string };

/**
 * The `errcode` of a parsed answer: absent means 0 (success answers often leave it out), a number
 * or a string of digits is taken as it is; anything else (`""`, `null`, `false`, `[]`, `{}`) is a
 * garbled answer, never a success: reading it as 0 would take a broken body for "all is well".
 */
export function readErrcode(answer: Record<string, unknown>): ErrcodeReading {
  if (!('errcode' in answer) || answer.errcode === undefined) return { ok: true, errcode: 0 };
  const value = answer.errcode;
  if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, errcode: value };
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return { ok: true, errcode: Number(value) };
  const shown = JSON.stringify(value) ?? typeof value;
  return { ok: false, why: `the answer has an errcode that is not a number: ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}` };
}
