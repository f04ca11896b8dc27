/**
 * Where Temporal is and how to reach it, the ecosystem's way: a `@temporalio/envconfig` profile
 * (the TOML file the Temporal CLI and every SDK read) overlaid by the `TEMPORAL_*` variables, with
 * explicit options (flags, function arguments) on top. The worker, the client library and the
 * CLI all connect through this one module, so they agree on every setting and on the words used
 * when one is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';

/** What the Temporal frontend is when nothing says otherwise (DESIGN). */
export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
/** The namespace when nothing says otherwise (DESIGN). */
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** Settings given explicitly (CLI flags, `connectLinkClient` options); they win over everything. */
export interface ConnectionOverrides {
  /** `host:port` of the frontend. */
  address?: string | undefined;
  namespace?: string | undefined;
  /** The profile to read from the file. @default TEMPORAL_PROFILE, else `default` */
  profile?: string | undefined;
  /** The TOML file. @default TEMPORAL_CONFIG_FILE, else `~/.config/temporalio/temporal.toml` */
  configFile?: string | undefined;
  /** How each override is called where it came from, for messages. @default `{ address: 'address', … }` */
  names?: Partial<Record<'address' | 'namespace' | 'profile' | 'configFile', string>>;
}

/** Options shared by `Connection.connect` (client) and `NativeConnection.connect` (worker). */
export interface TemporalConnectionOptions {
  address: string;
  /** `true`: TLS with the system's roots; an object: client certificate, CA, server name; `false`: plain. */
  tls?: TLSConfig | boolean;
  /** Temporal Cloud API key, sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** gRPC metadata (`TEMPORAL_GRPC_META_*`, `[profile.x.grpc_meta]`). */
  metadata?: Record<string, string>;
}

/** The resolved connection: what to pass to `connect`, and where each setting came from. */
export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  connectionOptions: TemporalConnectionOptions;
  /** The profile read, if a file was read. */
  profile: string | undefined;
  /** The TOML file read, if any. */
  configFile: string | undefined;
  /** Where each setting came from: `TEMPORAL_ADDRESS`, `--address`, `profile 'prod' in /etc/temporal.toml`, `default`. */
  origin: { address: string; namespace: string; tls: string | undefined; apiKey: string | undefined };
  /** Values that must never be logged (API key, inline client key, metadata values), for the redacting logger. */
  secrets: string[];
}

/** A connection setting that cannot be used; the message starts with the setting's name. */
export class ConnectionConfigError extends Error {
  /** The variable, flag or profile field to fix. */
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'ConnectionConfigError';
    this.setting = setting;
  }
}

const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/**
 * Resolves the connection from `overrides`, then the `TEMPORAL_*` variables of `env`, then the
 * profile in the TOML file, then the defaults of DESIGN.
 * @throws {@link ConnectionConfigError} naming the setting that is wrong.
 */
export function loadConnectionConfig(options: { env?: NodeJS.ProcessEnv; overrides?: ConnectionOverrides } = {}): TemporalConnectionConfig {
  const env = nonEmpty(options.env ?? process.env);
  const overrides = options.overrides ?? {};
  const name = (key: keyof NonNullable<ConnectionOverrides['names']>, fallback: string): string => overrides.names?.[key] ?? fallback;

  const file = configFileOf(env, overrides, name('configFile', 'configFile'));
  const profileName = blankToUndefined(overrides.profile) ?? env.TEMPORAL_PROFILE;
  const profileSetting = blankToUndefined(overrides.profile) !== undefined ? name('profile', 'profile') : 'TEMPORAL_PROFILE';
  const fromFile = file ? readProfile(file, profileName, profileSetting) : undefined;
  if (!fromFile && profileName !== undefined && profileName !== 'default') {
    throw new ConnectionConfigError(
      profileSetting,
      `profile '${profileName}' asked for, but there is no config file (set TEMPORAL_CONFIG_FILE or create ~/.config/temporalio/temporal.toml)`,
    );
  }
  const inFile = (field: string): string => `${field} of profile '${fromFile?.name ?? 'default'}' in ${file?.path ?? ''}`;

  // The ecosystem's merge: the file's profile, then every TEMPORAL_* variable over it.
  let merged: ClientConfigProfile;
  try {
    merged = loadClientConfigProfile({
      ...(fromFile ? { configSource: { data: fromFile.text } } : { disableFile: true }),
      // Only a profile someone asked for: envconfig then insists that the file has it.
      ...(fromFile && profileName !== undefined && { profile: profileName }),
      overrideEnvVars: env,
    });
  } catch (error) {
    throw new ConnectionConfigError(file ? `${file.setting} ${file.path}` : 'TEMPORAL_TLS_*', messageOf(error));
  }
  const fileProfile = fromFile?.profile ?? {};

  const explicitAddress = blankToUndefined(overrides.address);
  const address = explicitAddress ?? merged.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const addressOrigin =
    explicitAddress !== undefined
      ? name('address', 'address')
      : env.TEMPORAL_ADDRESS !== undefined
        ? 'TEMPORAL_ADDRESS'
        : fileProfile.address !== undefined
          ? inFile('address')
          : 'default';
  if (!ADDRESS.test(address) || Number(ADDRESS.exec(address)?.[2]) > 65535) {
    throw new ConnectionConfigError(addressOrigin === 'default' ? 'TEMPORAL_ADDRESS' : addressOrigin, 'must be host:port, e.g. localhost:7233');
  }
  const explicitNamespace = blankToUndefined(overrides.namespace);
  const namespace = explicitNamespace ?? merged.namespace ?? DEFAULT_TEMPORAL_NAMESPACE;
  const namespaceOrigin =
    explicitNamespace !== undefined
      ? name('namespace', 'namespace')
      : env.TEMPORAL_NAMESPACE !== undefined
        ? 'TEMPORAL_NAMESPACE'
        : fileProfile.namespace !== undefined
          ? inFile('namespace')
          : 'default';

  const tlsFromEnv = Object.keys(env).some((key) => key === 'TEMPORAL_TLS' || key.startsWith('TEMPORAL_TLS_'));
  const tlsOrigin = tlsFromEnv ? `TEMPORAL_TLS_*${fileProfile.tls ? ` over ${inFile('tls')}` : ''}` : fileProfile.tls ? inFile('tls') : undefined;
  const apiKeyOrigin = env.TEMPORAL_API_KEY !== undefined ? 'TEMPORAL_API_KEY' : fileProfile.apiKey !== undefined ? inFile('api_key') : undefined;
  checkClientPair(merged, tlsOrigin ?? 'TEMPORAL_TLS_*');

  let connect: ReturnType<typeof toClientOptions>;
  try {
    // Reads the certificate files now, so that a wrong path is reported before connecting.
    connect = toClientOptions(merged);
  } catch (error) {
    throw new ConnectionConfigError(tlsOrigin ?? 'TEMPORAL_TLS_*', messageOf(error));
  }
  const { tls, apiKey, metadata } = connect.connectionOptions;
  const connectionOptions: TemporalConnectionOptions = {
    address,
    ...(tls !== undefined && tls !== null && { tls }),
    ...(typeof apiKey === 'string' && { apiKey }),
    ...(metadata && Object.keys(metadata).length > 0 && { metadata: metadata as Record<string, string> }),
  };
  return {
    address,
    namespace,
    connectionOptions,
    profile: fromFile?.name,
    configFile: file?.path,
    origin: { address: addressOrigin, namespace: namespaceOrigin, tls: tlsOrigin, apiKey: apiKeyOrigin },
    secrets: secretsOf(merged),
  };
}

/** `127.0.0.1:7233 (TEMPORAL_ADDRESS, TLS, API key)`: the address with where it came from. */
export function describeConnection(config: TemporalConnectionConfig): string {
  const { tls, apiKey } = config.connectionOptions;
  const extras = [config.origin.address, tls !== undefined && tls !== false ? 'TLS' : '', apiKey ? 'API key' : ''].filter(Boolean);
  return `${config.address} (${extras.join(', ')})`;
}

/**
 * The message for a connection that failed: which address, which setting it came from, what was
 * tried (TLS, API key), and the SDK's reason. Never a secret.
 */
export function connectionFailureMessage(config: TemporalConnectionConfig, error: unknown): string {
  const settings = [config.origin.address === 'default' ? 'default; set TEMPORAL_ADDRESS or a profile' : config.origin.address];
  if (config.origin.tls) settings.push(`TLS from ${config.origin.tls}`);
  if (config.origin.apiKey) settings.push(`API key from ${config.origin.apiKey}`);
  let reason = messageOf(error);
  for (const secret of config.secrets) if (secret.length >= 8) reason = reason.split(secret).join('[REDACTED]');
  return `Cannot reach Temporal at ${config.address} (${settings.join('; ')}): ${reason}`;
}

interface ConfigFile {
  path: string;
  /** The variable or flag that named it, or `default config file`. */
  setting: string;
}

function configFileOf(env: Record<string, string>, overrides: ConnectionOverrides, flagName: string): ConfigFile | undefined {
  const explicit = blankToUndefined(overrides.configFile);
  const named: ConfigFile | undefined =
    explicit !== undefined
      ? { path: explicit, setting: flagName }
      : env.TEMPORAL_CONFIG_FILE !== undefined
        ? { path: env.TEMPORAL_CONFIG_FILE, setting: 'TEMPORAL_CONFIG_FILE' }
        : undefined;
  if (named) {
    // envconfig ignores a missing file; a file someone named that is not there is a mistake.
    if (!existsSync(named.path)) throw new ConnectionConfigError(named.setting, `no such file: ${named.path}`);
    return named;
  }
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, '.config') : join(homedir(), '.config'));
  const path = join(base, 'temporalio', 'temporal.toml');
  return existsSync(path) ? { path, setting: 'default config file' } : undefined;
}

function readProfile(file: ConfigFile, requested: string | undefined, profileSetting: string): { name: string; text: string; profile: ClientConfigProfile } {
  const name = requested ?? 'default';
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    throw new ConnectionConfigError(file.setting, `cannot read ${file.path} (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`);
  }
  try {
    const profile = loadClientConfigProfile({ configSource: { data: text }, disableEnv: true, ...(requested !== undefined && { profile: requested }) });
    return { name, text, profile };
  } catch (error) {
    const message = messageOf(error);
    if (/Profile '.*' not found/.test(message)) throw new ConnectionConfigError(profileSetting, `no profile '${name}' in ${file.path}`);
    throw new ConnectionConfigError(`${file.setting} ${file.path}`, message);
  }
}

/** A client certificate without its key (or the reverse) would silently connect without one. */
function checkClientPair(profile: ClientConfigProfile, origin: string): void {
  const tls = profile.tls;
  if (!tls || tls.disabled) return;
  if (tls.clientCert && !tls.clientKey)
    throw new ConnectionConfigError(origin, 'a client certificate is set without its key (TEMPORAL_TLS_CLIENT_KEY_PATH / client_key_path)');
  if (tls.clientKey && !tls.clientCert)
    throw new ConnectionConfigError(origin, 'a client key is set without its certificate (TEMPORAL_TLS_CLIENT_CERT_PATH / client_cert_path)');
}

function secretsOf(profile: ClientConfigProfile): string[] {
  const secrets: string[] = [];
  if (profile.apiKey) secrets.push(profile.apiKey);
  const key = profile.tls?.clientKey;
  if (key && 'data' in key) secrets.push(typeof key.data === 'string' ? key.data : Buffer.from(key.data).toString('utf8'));
  for (const value of Object.values(profile.grpcMeta ?? {})) secrets.push(value);
  return secrets.filter((secret) => secret.length >= 8);
}

/** The environment without empty values: `TEMPORAL_ADDRESS=` means "not set", as elsewhere in the project. */
function nonEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') result[key] = value.trim();
  }
  return result;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function messageOf(error: unknown): string {
  // Checked by shape, not instanceof: errors from node:fs may come from another realm (jest).
  const { code, path, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; path?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof path === 'string') return `cannot read ${path} (${code})`;
  return typeof message === 'string' ? message : String(error);
}
