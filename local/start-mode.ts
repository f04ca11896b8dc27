/**
 * What `npm start` runs: the whole local stack, or — when real settings are given — only the
 * worker, as in production. Decided in one place because two steps ask: the stack itself, and the
 * prerequisites before it (which then need no Temporal CLI).
 */

/** Every variable that gives the worker a token source (the worker's own list: worker/config.ts). */
const TOKEN_SOURCE_VARIABLES = [
  'WECHAT_ACCESS_TOKEN',
  'WECHAT_ACCESS_TOKENS',
  'WECHAT_TOKEN_URL',
  'WECHAT_APP_SECRETS',
  'WECHAT_APP_SECRETS_FILE',
  'WECHAT_COMPONENT_APPID',
] as const;

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/**
 * Real settings given (a Temporal address and any token source; blank counts as unset): `npm
 * start` runs only the worker against them, with no dev server, simulator or demo.
 */
export function startsOnlyTheWorker(env: NodeJS.ProcessEnv): boolean {
  return isSet(env.TEMPORAL_ADDRESS) && TOKEN_SOURCE_VARIABLES.some((name) => isSet(env[name]));
}
