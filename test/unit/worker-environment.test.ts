/** worker/environment.ts is the one reader of the worker's environment. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readWorkerEnvironment, WORKER_VARIABLES } from '../../worker/environment';

const workerDir = join(__dirname, '..', '..', 'worker');

describe('the worker environment', () => {
  it('is read in worker/environment.ts only', () => {
    const readers = readdirSync(workerDir)
      .filter((name) => name.endsWith('.ts') && name !== 'environment.ts')
      .filter((name) =>
        /process\.env[.[]|\benv\[|\benv\.(WXAMP|WECHAT|TEMPORAL)_/.test(readFileSync(join(workerDir, name), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')),
      );
    expect(readers).toEqual([]);
  });

  it('lists each variable once, and an empty environment is a valid one (every default applies)', () => {
    expect(new Set(WORKER_VARIABLES).size).toBe(WORKER_VARIABLES.length);
    expect(readWorkerEnvironment({})).toMatchObject({
      WXAMP_TASK_QUEUE: 'wxamp-link',
      WECHAT_HTTP_TIMEOUT: 10_000,
      WXAMP_LOG_FORMAT: 'text',
      WXAMP_LOG_LEVEL: 'INFO',
    });
  });

  it('treats a blank variable as unset', () => {
    expect(readWorkerEnvironment({ WXAMP_TASK_QUEUE: '  ', WXAMP_WORKFLOW_BUNDLE: '' })).toMatchObject({
      WXAMP_TASK_QUEUE: 'wxamp-link',
      WXAMP_WORKFLOW_BUNDLE: undefined,
    });
  });
});
