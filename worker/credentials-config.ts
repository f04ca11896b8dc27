/**
 * The credential half of the worker's configuration: app secrets (stable_token), the third-party
 * platform, the credential store and the shared Redis token cache. Each variable is read and
 * checked by environment.ts; here, the rules that tie them together.
 */
import { ConfigError } from './config-error';
import { readWorkerEnvironment, type WorkerEnvironment } from './environment';

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

/** Reads and checks the credential settings. @throws {@link ConfigError} naming the variable. */
export function loadCredentialsConfig(env: NodeJS.ProcessEnv): CredentialsConfig {
  return credentialsConfigOf(readWorkerEnvironment(env));
}

/** The credential settings from the checked environment: the rules that tie several variables together. */
export function credentialsConfigOf(vars: WorkerEnvironment): CredentialsConfig {
  const fromFile = vars.WECHAT_APP_SECRETS_FILE?.secrets;
  const fromEnv = vars.WECHAT_APP_SECRETS;
  const appSecrets = fromFile || fromEnv ? new Map([...(fromFile ?? []), ...(fromEnv ?? [])]) : undefined;
  const appSecretsSource = [fromFile && 'WECHAT_APP_SECRETS_FILE', fromEnv && 'WECHAT_APP_SECRETS'].filter(Boolean).join(' / ') || 'WECHAT_APP_SECRETS';
  const tokenRedisUrl = vars.WECHAT_TOKEN_REDIS_URL;
  const credentialStoreFile = vars.WECHAT_CREDENTIAL_STORE_FILE;

  const componentAppId = vars.WECHAT_COMPONENT_APPID;
  const ownSecret = vars.WECHAT_COMPONENT_APPSECRET;
  let component: ComponentConfig | undefined;
  if (componentAppId !== undefined) {
    const appSecret = ownSecret ?? appSecrets?.get(componentAppId);
    if (appSecret === undefined) {
      throw new ConfigError(`WECHAT_COMPONENT_APPSECRET: required with WECHAT_COMPONENT_APPID (or an entry for ${componentAppId} in ${appSecretsSource})`);
    }
    if (tokenRedisUrl === undefined && credentialStoreFile === undefined) {
      throw new ConfigError(
        'WECHAT_COMPONENT_APPID: needs a credential store for the verify ticket and refresh tokens: set WECHAT_TOKEN_REDIS_URL or WECHAT_CREDENTIAL_STORE_FILE',
      );
    }
    component = { appId: componentAppId, appSecret, secretSource: ownSecret !== undefined ? 'WECHAT_COMPONENT_APPSECRET' : appSecretsSource };
  } else if (ownSecret !== undefined) {
    throw new ConfigError('WECHAT_COMPONENT_APPSECRET: is set but WECHAT_COMPONENT_APPID is not');
  }
  return { appSecrets, appSecretsSource, component, credentialStoreFile, tokenRedisUrl, tokenRedisPrefix: vars.WECHAT_TOKEN_REDIS_PREFIX };
}
