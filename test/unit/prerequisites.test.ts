import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { describeMissing, nodeProblem } from '../../local/prerequisites';
import { startsOnlyTheWorker } from '../../local/start-mode';
import { buildTemporalCli, GOPROXY_HINT } from '../../local/temporal-cli-build';

describe('the Node versions the project supports', () => {
  it.each(['20.19.0', '20.20.2', '22.12.0', '22.20.1', '24.0.0', '24.22.3', '25.1.0'])('accepts %s', (version) => {
    expect(nodeProblem(version)).toBeNull();
  });

  it.each(['18.20.4', '20.18.1', '21.7.3', '22.11.0', '23.5.0'])('refuses %s, saying which versions would do', (version) => {
    expect(nodeProblem(version)?.what).toBe(`Node 20.19+, 22.12+ or 24 (this is ${version})`);
  });
});

describe('what npm start runs (and so whether it needs the Temporal CLI)', () => {
  it('runs only the worker when a Temporal address and a token source are both set', () => {
    expect(startsOnlyTheWorker({ TEMPORAL_ADDRESS: 'temporal:7233', WECHAT_APP_SECRETS_FILE: '/run/secrets/wechat.json' })).toBe(true);
  });

  it.each([
    ['nothing', {}],
    ['an address alone', { TEMPORAL_ADDRESS: 'temporal:7233' }],
    ['a token source alone', { WECHAT_ACCESS_TOKEN: 'x'.repeat(30) }],
    ['a blank address', { TEMPORAL_ADDRESS: ' ', WECHAT_ACCESS_TOKEN: 'x'.repeat(30) }],
    ['a blank token source', { TEMPORAL_ADDRESS: 'temporal:7233', WECHAT_TOKEN_URL: '' }],
  ])('runs the whole local stack with %s', (_, env) => {
    expect(startsOnlyTheWorker(env)).toBe(false);
  });
});

describe('the list of what is missing', () => {
  it('names each missing piece with its install command, once', () => {
    const text = describeMissing([
      { what: 'redis-server', install: 'apt-get install redis-server' },
      { what: 'the Temporal CLI', install: 'install Go 1.25 or newer' },
    ]);
    expect(text).toBe(
      'wxamp-link needs 2 more things before it can run:\n' +
        '  - redis-server\n      apt-get install redis-server\n' +
        '  - the Temporal CLI\n      install Go 1.25 or newer',
    );
  });
});

describe('building the Temporal CLI', () => {
  const saved = { PATH: process.env.PATH, GOPROXY: process.env.GOPROXY };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.GOPROXY === undefined) delete process.env.GOPROXY;
    else process.env.GOPROXY = saved.GOPROXY;
  });

  it('hands GOPROXY to go, and a failed download says that GOPROXY can point at a mirror', async () => {
    // A stand-in for go that fails the way a blocked module download does, and shows what it was given.
    const bin = mkdtempSync(join(tmpdir(), 'wxamp-fake-go-'));
    const go = join(bin, 'go');
    writeFileSync(
      go,
      '#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.26.0 linux/amd64"; exit 0; fi\n' +
        'echo "go: github.com/temporalio/cli@v1.5.1: Get \\"$GOPROXY/github.com/temporalio/cli/@v/v1.5.1.info\\": dial tcp: i/o timeout" >&2\nexit 1\n',
    );
    chmodSync(go, 0o755);
    process.env.PATH = `${bin}:${saved.PATH ?? ''}`;
    process.env.GOPROXY = 'https://mirror.example.invalid';
    const error = await buildTemporalCli({ destination: join(bin, 'cache', 'temporal-cli', 'temporal'), log: () => undefined }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('(GOPROXY=https://mirror.example.invalid)');
    expect(message).toContain('Get "https://mirror.example.invalid/github.com/temporalio/cli/@v/v1.5.1.info": dial tcp: i/o timeout');
    expect(message).toContain(GOPROXY_HINT);
  });
});
