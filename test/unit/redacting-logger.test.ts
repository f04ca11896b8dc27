/** The text log format masks what the JSON format masks: secret-named fields, literal secrets, URL credentials. */
import { describe, expect, it } from '@jest/globals';
import type { LogEntry } from '@temporalio/worker';
import { urlSecrets } from '../../activities/redact';
import { formatRedacted, formatRedactedJson } from '../../worker/redacting-logger';

const entry = (message: string, meta: Record<string, unknown>): LogEntry => ({ level: 'WARN', message, timestampNanos: 1_767_225_600_000_000_000n, meta });
const TOKEN_URL = 'http://127.0.0.1:8080/token?apikey=S3cr3tKey0123456789abcdef';

describe('the text log format', () => {
  const meta = {
    workflowId: 'wxamp-link/wx1/wx2',
    access_token: 'short',
    secret: 'tiny',
    apiKey: 'k',
    nested: { authorizer_refresh_token: 'r', password: 'p', list: [{ component_verify_ticket: 't' }] },
  };

  it('masks secret-named fields, however short their values, at any depth', () => {
    const line = formatRedacted(entry('token refresh failed', meta), []);
    expect(line).toContain("workflowId: 'wxamp-link/wx1/wx2'");
    expect(line).toContain("access_token: '[REDACTED]'");
    expect(line).toContain("secret: '[REDACTED]'");
    expect(line).toContain("apiKey: '[REDACTED]'");
    expect(line).toContain("authorizer_refresh_token: '[REDACTED]'");
    expect(line).toContain("password: '[REDACTED]'");
    expect(line).toContain("component_verify_ticket: '[REDACTED]'");
    for (const value of ["'short'", "'tiny'", "'k'", "'r'", "'p'", "'t'"]) expect(line).not.toContain(value);
  });

  it('masks the same fields as the JSON format', () => {
    const json = JSON.parse(formatRedactedJson(entry('m', meta), [])) as Record<string, unknown>;
    expect(json).toMatchObject({
      access_token: '[REDACTED]',
      secret: '[REDACTED]',
      apiKey: '[REDACTED]',
      nested: { authorizer_refresh_token: '[REDACTED]', password: '[REDACTED]' },
    });
  });

  it('masks the configured URL credentials in the message, in fields and in errors, keeping the stack readable', () => {
    const secrets = urlSecrets(TOKEN_URL);
    const error = new Error('request to http://127.0.0.1:8080/token?appid=wx1 failed: S3cr3tKey0123456789abcdef refused');
    const line = formatRedacted(entry(`token service ${TOKEN_URL} failed`, { url: TOKEN_URL, error, user: 'https://ops:hunter2hunter2@host/x' }), secrets);
    expect(line).not.toContain('S3cr3tKey0123456789abcdef');
    expect(line).not.toContain('hunter2hunter2');
    expect(line).toContain('token service http://127.0.0.1:8080/token?apikey=[REDACTED] failed');
    expect(line).toContain('Error: request to http://127.0.0.1:8080/token?appid=wx1 failed: [REDACTED] refused');
    expect(line).toContain('https://ops:[REDACTED]@host/x');
  });
});
