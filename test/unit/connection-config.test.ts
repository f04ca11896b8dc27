/**
 * The one connection helper the worker, the client library and the CLI share: envconfig profiles
 * under the `TEMPORAL_*` variables under explicit options, TLS material read and passed on, API
 * keys, and errors that name the setting to fix.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { TLSConfig } from '@temporalio/client';
import { connectionFailureMessage, describeConnection, loadConnectionConfig } from '../../client/connection-config';
import { taskQueueFromEnvironment } from '../../client/task-queue-setting';

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');
const tlsFile = (name: string): string => join(TLS_DIR, name);
const API_KEY = 'cloud-api-key-0123456789abcdef';

/** A HOME without ~/.config/temporalio/temporal.toml, so no real profile leaks into a test. */
function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'wxamp-home-'));
}

function configFile(toml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wxamp-envconfig-')), 'temporal.toml');
  writeFileSync(path, toml);
  return path;
}

const PROFILES = `
[profile.default]
address = "127.0.0.1:7233"
namespace = "dev"

[profile.prod]
address = "wxamp.a1b2c.tmprl.cloud:7233"
namespace = "wxamp.a1b2c"

[profile.prod.tls]
client_cert_path = "${tlsFile('client.pem')}"
client_key_path = "${tlsFile('client-key.pem')}"
server_ca_cert_path = "${tlsFile('ca.pem')}"
server_name = "wxamp-test.local"

[profile.cloud]
address = "us-east-1.aws.api.temporal.io:7233"
namespace = "wxamp.a1b2c"
api_key = "${API_KEY}"

[profile.cloud.grpc_meta]
x-team = "wechat-platform"
`;

describe('loadConnectionConfig', () => {
  it("without any setting uses DESIGN's defaults", () => {
    const config = loadConnectionConfig({ env: { HOME: emptyHome() } });
    expect(config).toMatchObject({ address: 'localhost:7233', namespace: 'default', profile: undefined, configFile: undefined });
    expect(config.connectionOptions).toEqual({ address: 'localhost:7233' });
    expect(config.origin).toMatchObject({ address: 'default', namespace: 'default' });
  });

  it('reads the default profile of TEMPORAL_CONFIG_FILE, and TEMPORAL_PROFILE picks another', () => {
    const file = configFile(PROFILES);
    const byDefault = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file } });
    expect(byDefault).toMatchObject({ address: '127.0.0.1:7233', namespace: 'dev', profile: 'default', configFile: file });
    expect(byDefault.origin.address).toBe(`address of profile 'default' in ${file}`);

    const prod = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' } });
    expect(prod).toMatchObject({ address: 'wxamp.a1b2c.tmprl.cloud:7233', namespace: 'wxamp.a1b2c', profile: 'prod' });
  });

  it('a file without a default profile is fine until a profile is asked for', () => {
    const file = configFile('[profile.cloud]\naddress = "x.tmprl.cloud:7233"');
    expect(loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file } })).toMatchObject({ address: 'localhost:7233', configFile: file });
    expect(loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' } }).address).toBe('x.tmprl.cloud:7233');
  });

  it('finds ~/.config/temporalio/temporal.toml like the Temporal CLI does', () => {
    const home = emptyHome();
    const dir = join(home, '.config', 'temporalio');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'temporal.toml'), PROFILES);
    expect(loadConnectionConfig({ env: { HOME: home } })).toMatchObject({ address: '127.0.0.1:7233', configFile: join(dir, 'temporal.toml') });
  });

  it('TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE win over the profile, explicit options over both', () => {
    const file = configFile(PROFILES);
    const env = { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_ADDRESS: '10.0.0.5:7233', TEMPORAL_NAMESPACE: 'wxamp' };
    const fromEnv = loadConnectionConfig({ env });
    expect(fromEnv).toMatchObject({ address: '10.0.0.5:7233', namespace: 'wxamp' });
    expect(fromEnv.origin).toMatchObject({ address: 'TEMPORAL_ADDRESS', namespace: 'TEMPORAL_NAMESPACE' });
    // The profile's TLS still applies: the variables only replace what they name.
    expect(fromEnv.connectionOptions.tls).toMatchObject({ serverNameOverride: 'wxamp-test.local' });

    const explicit = loadConnectionConfig({ env, overrides: { address: 'localhost:17233', namespace: 'other', names: { address: '--address' } } });
    expect(explicit).toMatchObject({ address: 'localhost:17233', namespace: 'other' });
    expect(explicit.origin.address).toBe('--address');
  });

  it('an empty variable counts as unset, as everywhere in the project', () => {
    const config = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '  ' } });
    expect(config).toMatchObject({ address: 'localhost:7233', namespace: 'default' });
  });

  it("passes a profile's client certificate, key, CA and server name to the connection options", () => {
    const config = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: configFile(PROFILES), TEMPORAL_PROFILE: 'prod' } });
    const tls = config.connectionOptions.tls as TLSConfig;
    expect(Buffer.from(tls.clientCertPair?.crt ?? []).toString()).toBe(readFileSync(tlsFile('client.pem'), 'utf8'));
    expect(Buffer.from(tls.clientCertPair?.key ?? []).toString()).toBe(readFileSync(tlsFile('client-key.pem'), 'utf8'));
    expect(Buffer.from(tls.serverRootCACertificate ?? []).toString()).toBe(readFileSync(tlsFile('ca.pem'), 'utf8'));
    expect(tls.serverNameOverride).toBe('wxamp-test.local');
    expect(config.origin.tls).toBe(`tls of profile 'prod' in ${config.configFile}`);
    expect(describeConnection(config)).toBe(`wxamp.a1b2c.tmprl.cloud:7233 (address of profile 'prod' in ${config.configFile}, TLS)`);
  });

  it('takes TLS from TEMPORAL_TLS_* variables alone, inline data included', () => {
    const key = readFileSync(tlsFile('client-key.pem'), 'utf8');
    const config = loadConnectionConfig({
      env: {
        HOME: emptyHome(),
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_TLS_CLIENT_CERT_PATH: tlsFile('client.pem'),
        TEMPORAL_TLS_CLIENT_KEY_DATA: key,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: tlsFile('ca.pem'),
        TEMPORAL_TLS_SERVER_NAME: 'wxamp-test.local',
      },
    });
    const tls = config.connectionOptions.tls as TLSConfig;
    expect(Buffer.from(tls.clientCertPair?.key ?? []).toString()).toBe(key.trim());
    expect(tls.serverNameOverride).toBe('wxamp-test.local');
    expect(config.origin.tls).toBe('TEMPORAL_TLS_*');
    // An inline key is a secret: the worker's logger masks it.
    expect(config.secrets).toContain(key.trim());
  });

  it('TEMPORAL_TLS=true alone turns on TLS with the system roots; TEMPORAL_TLS=false turns it off', () => {
    const on = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_TLS: 'true' } });
    expect(on.connectionOptions.tls).toEqual({});
    const off = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' } });
    expect(off.connectionOptions.tls).toBe(false);
  });

  it('an API key (profile or TEMPORAL_API_KEY) is passed with TLS on, and never shows in messages', () => {
    const config = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: configFile(PROFILES), TEMPORAL_PROFILE: 'cloud' } });
    expect(config.connectionOptions).toEqual({
      address: 'us-east-1.aws.api.temporal.io:7233',
      apiKey: API_KEY,
      tls: true,
      metadata: { 'x-team': 'wechat-platform' },
    });
    expect(config.origin.apiKey).toBe(`api_key of profile 'cloud' in ${config.configFile}`);
    expect(config.secrets).toContain(API_KEY);

    const fromEnv = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_ADDRESS: 'x.tmprl.cloud:7233', TEMPORAL_API_KEY: API_KEY } });
    expect(fromEnv.connectionOptions).toMatchObject({ apiKey: API_KEY, tls: true });
    const message = connectionFailureMessage(fromEnv, new Error(`Unauthenticated: bad key ${API_KEY}`));
    expect(message).toBe('Cannot reach Temporal at x.tmprl.cloud:7233 (TEMPORAL_ADDRESS; API key from TEMPORAL_API_KEY): Unauthenticated: bad key [REDACTED]');
  });

  it('a failed connection is reported with the address and the setting it came from', () => {
    const file = configFile(PROFILES);
    const config = loadConnectionConfig({ env: { HOME: emptyHome(), TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' } });
    expect(connectionFailureMessage(config, new Error('tcp connect error'))).toBe(
      `Cannot reach Temporal at wxamp.a1b2c.tmprl.cloud:7233 (address of profile 'prod' in ${file}; TLS from tls of profile 'prod' in ${file}): tcp connect error`,
    );
    const byDefault = loadConnectionConfig({ env: { HOME: emptyHome() } });
    expect(connectionFailureMessage(byDefault, new Error('refused'))).toBe(
      'Cannot reach Temporal at localhost:7233 (default; set TEMPORAL_ADDRESS or a profile): refused',
    );
  });

  it.each([
    [
      'a config file that is not there',
      () => ({ TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' }),
      /^TEMPORAL_CONFIG_FILE: no such file: \/nonexistent\/temporal\.toml$/,
    ],
    [
      'a profile that is not in the file',
      () => ({ TEMPORAL_CONFIG_FILE: configFile(PROFILES), TEMPORAL_PROFILE: 'staging' }),
      /^TEMPORAL_PROFILE: no profile 'staging' in .*temporal\.toml$/,
    ],
    ['a profile without any file', () => ({ TEMPORAL_PROFILE: 'staging' }), /^TEMPORAL_PROFILE: profile 'staging' asked for, but there is no config file/],
    ['a file that is not TOML', () => ({ TEMPORAL_CONFIG_FILE: configFile('[profile.default\naddress =') }), /^TEMPORAL_CONFIG_FILE .*temporal\.toml: /],
    [
      'a bad address in a profile',
      () => ({ TEMPORAL_CONFIG_FILE: configFile('[profile.default]\naddress = "http://x"') }),
      /^address of profile 'default' in .*: must be host:port/,
    ],
    ['a bad TEMPORAL_ADDRESS', () => ({ TEMPORAL_ADDRESS: 'nowhere' }), /^TEMPORAL_ADDRESS: must be host:port, e\.g\. localhost:7233$/],
    [
      'a certificate without its key',
      () => ({ TEMPORAL_TLS_CLIENT_CERT_PATH: tlsFile('client.pem') }),
      /^TEMPORAL_TLS_\*: a client certificate is set without its key/,
    ],
    [
      'a certificate file that is not there',
      () => ({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }),
      /^TEMPORAL_TLS_\*: cannot read \/nonexistent\/ca\.pem \(ENOENT\)$/,
    ],
  ])('names the setting for %s', (_what, env, message) => {
    expect(() => loadConnectionConfig({ env: { HOME: emptyHome(), ...env() } })).toThrow(message);
  });

  it('names the flag when the setting came from one', () => {
    expect(() =>
      loadConnectionConfig({ env: { HOME: emptyHome() }, overrides: { configFile: '/nonexistent.toml', names: { configFile: '--config-file' } } }),
    ).toThrow(/^--config-file: no such file/);
    expect(() =>
      loadConnectionConfig({ env: { HOME: emptyHome() }, overrides: { configFile: configFile(PROFILES), profile: 'nope', names: { profile: '--profile' } } }),
    ).toThrow(/^--profile: no profile 'nope'/);
  });
});

describe('the task queue a client uses when none is named', () => {
  it('is WXAMP_TASK_QUEUE, trimmed, or wxamp-link when that is unset or blank (as the worker reads it)', () => {
    expect(taskQueueFromEnvironment({})).toBe('wxamp-link');
    expect(taskQueueFromEnvironment({ WXAMP_TASK_QUEUE: '' })).toBe('wxamp-link');
    expect(taskQueueFromEnvironment({ WXAMP_TASK_QUEUE: '   ' })).toBe('wxamp-link');
    expect(taskQueueFromEnvironment({ WXAMP_TASK_QUEUE: ' links-eu ' })).toBe('links-eu');
  });
});
