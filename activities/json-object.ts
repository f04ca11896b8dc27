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
