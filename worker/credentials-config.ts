/**
 * The credential half of the worker's configuration: app secrets (stable_token), the third-party
 * platform, the credential store and the shared Redis token cache. Like the rest of the
 * configuration, a bad value is reported by its variable's name and never quoted.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_REDIS_PREFIX } from '../activities/tokens/credential-store';
import { ConfigError } from './config-error';

/** The third-party platform's identity. */
export interface ComponentConfig {
  appId: string;
  appSecret: string;
  /** Which variable the secret came from (for messages). */
  secretSource: string;
}

/** Credential settings. */
export interface CredentialsConfig {
  /** `WECHAT_APP_SECRETS_FILE` then `WECHAT_APP_SECRETS` (which wins): official-account appid → secret. */
  appSecrets: Map<string, string> | undefined;
  /** The variable(s) the secrets came from, for messages. */
  appSecretsSource: string;
  /** `WECHAT_COMPONENT_APPID` with its secret. */
  component: ComponentConfig | undefined;
  /** `WECHAT_CREDENTIAL_STORE_FILE`: the JSON file holding tickets and refresh tokens. */
  credentialStoreFile: string | undefined;
  /** `WECHAT_TOKEN_REDIS_URL`: shared token cache, locks and credential store. */
  tokenRedisUrl: string | undefined;
  /** `WECHAT_TOKEN_REDIS_PREFIX`: prefix of every Redis key. */
  tokenRedisPrefix: string;
}

const text = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Reads and checks the credential settings. @throws {@link ConfigError} naming the variable. */
export function loadCredentialsConfig(env: NodeJS.ProcessEnv): CredentialsConfig {
  const secretsFile = text(env, 'WECHAT_APP_SECRETS_FILE');
  const secretsJson = text(env, 'WECHAT_APP_SECRETS');
  const fromFile = secretsFile === undefined ? undefined : parseSecretMap('WECHAT_APP_SECRETS_FILE', readSecretsFile(secretsFile));
  const fromEnv = secretsJson === undefined ? undefined : parseSecretMap('WECHAT_APP_SECRETS', secretsJson);
  const appSecrets = fromFile || fromEnv ? new Map([...(fromFile ?? []), ...(fromEnv ?? [])]) : undefined;
  const appSecretsSource = [fromFile && 'WECHAT_APP_SECRETS_FILE', fromEnv && 'WECHAT_APP_SECRETS'].filter(Boolean).join(' / ') || 'WECHAT_APP_SECRETS';

  const tokenRedisUrl = text(env, 'WECHAT_TOKEN_REDIS_URL');
  if (tokenRedisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(tokenRedisUrl)) {
    throw new ConfigError('WECHAT_TOKEN_REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://localhost:6379');
  }
  const tokenRedisPrefix = text(env, 'WECHAT_TOKEN_REDIS_PREFIX') ?? DEFAULT_REDIS_PREFIX;
  const credentialStoreFile = text(env, 'WECHAT_CREDENTIAL_STORE_FILE');

  const componentAppId = text(env, 'WECHAT_COMPONENT_APPID');
  let component: ComponentConfig | undefined;
  if (componentAppId !== undefined) {
    const ownSecret = text(env, 'WECHAT_COMPONENT_APPSECRET');
    const appSecret = ownSecret ?? appSecrets?.get(componentAppId);
    if (appSecret === undefined) {
      throw new ConfigError(`WECHAT_COMPONENT_APPSECRET: required with WECHAT_COMPONENT_APPID (or an entry for ${componentAppId} in ${appSecretsSource})`);
    }
    if (tokenRedisUrl === undefined && credentialStoreFile === undefined) {
      throw new ConfigError('WECHAT_COMPONENT_APPID: needs a credential store for the verify ticket and refresh tokens: set WECHAT_TOKEN_REDIS_URL or WECHAT_CREDENTIAL_STORE_FILE');
    }
    component = { appId: componentAppId, appSecret, secretSource: ownSecret !== undefined ? 'WECHAT_COMPONENT_APPSECRET' : appSecretsSource };
  } else if (text(env, 'WECHAT_COMPONENT_APPSECRET') !== undefined) {
    throw new ConfigError('WECHAT_COMPONENT_APPSECRET: is set but WECHAT_COMPONENT_APPID is not');
  }
  return { appSecrets, appSecretsSource, component, credentialStoreFile, tokenRedisUrl, tokenRedisPrefix };
}

function readSecretsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    // The path is configuration, not a secret; the contents never appear.
    throw new ConfigError(`WECHAT_APP_SECRETS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseSecretMap(variable: string, json: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError(`${variable}: is not valid JSON; expected an object like {"wx1234567890abcdef": "<secret>"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${variable}: must be a JSON object mapping appids to secrets`);
  }
  const secrets = new Map<string, string>();
  for (const [appId, secret] of Object.entries(parsed)) {
    if (typeof secret !== 'string' || secret === '') throw new ConfigError(`${variable}: the secret for ${appId} must be a non-empty string`);
    secrets.set(appId, secret);
  }
  return secrets;
}
