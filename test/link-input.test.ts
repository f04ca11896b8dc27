/**
 * Bad input gets a clear error that names the field, and nothing is sent to WeChat: from the
 * workflow itself (whoever starts it) and, earlier, from the client library.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { InputValidationError } from '../client';
import { startLinkHarness, type LinkHarness } from './helpers/link-harness';

let h: LinkHarness;
let oa: string;
beforeAll(async () => {
  h = await startLinkHarness();
  oa = h.newAccount();
});
afterAll(async () => {
  await h.close();
});

const mp = 'wx2222222222222222';
const invalidInputs: Array<[string, Record<string, unknown>]> = [
  ['officialAccountAppId', { miniProgramAppId: mp }],
  ['miniProgramAppId', { officialAccountAppId: 'OA' }],
  ['officialAccountAppId', { officialAccountAppId: 'a/b', miniProgramAppId: mp }],
  ['miniProgramAppId', { officialAccountAppId: 'OA', miniProgramAppId: '' }],
  ['notifyUsers', { officialAccountAppId: 'OA', miniProgramAppId: mp, notifyUsers: '1' }],
  ['showProfile', { officialAccountAppId: 'OA', miniProgramAppId: mp, showProfile: 1 }],
  ['miniProgramUsername', { officialAccountAppId: 'OA', miniProgramAppId: mp, miniProgramUsername: 'someone' }],
  ['pollInterval', { officialAccountAppId: 'OA', miniProgramAppId: mp, pollInterval: 'often' }],
  ['pollInterval', { officialAccountAppId: 'OA', miniProgramAppId: mp, pollInterval: 0 }],
  ['maxPollInterval', { officialAccountAppId: 'OA', miniProgramAppId: mp, pollInterval: '1m', maxPollInterval: '10s' }],
  ['timeout', { officialAccountAppId: 'OA', miniProgramAppId: mp, timeout: '-1d' }],
  ['timeout', { officialAccountAppId: 'OA', miniProgramAppId: mp, timeout: {} }],
  ['show_profile', { officialAccountAppId: 'OA', miniProgramAppId: mp, show_profile: '1' }],
  ['notifyUrl', { officialAccountAppId: 'OA', miniProgramAppId: mp, notifyUrl: 'ftp://backend.example.com/events' }],
  ['notifyUrl', { officialAccountAppId: 'OA', miniProgramAppId: mp, notifyUrl: 'https://ops:hunter2@backend.example.com/events' }],
  ['notifyTransitions', { officialAccountAppId: 'OA', miniProgramAppId: mp, notifyTransitions: 'yes' }],
];

describe('invalid input', () => {
  it.each(invalidInputs)('the workflow fails with InvalidInput naming %s, and calls no API', async (field, raw) => {
    const input = { ...raw, ...(raw.officialAccountAppId === 'OA' && { officialAccountAppId: oa }) };
    const callsBefore = h.simulator.countCalls();
    const error = await h.client.workflow
      .execute('linkMiniProgram', { taskQueue: h.taskQueue, workflowId: `invalid-${field}-${Math.random()}`, args: [input] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidInput');
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect((cause as ApplicationFailure).message).toContain(`${field}: `);
    expect(h.simulator.countCalls()).toBe(callsBefore);
  });

  it.each(invalidInputs)('the client library refuses input with a bad %s before starting anything', async (field, raw) => {
    const error = await h.links.link(raw as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).field).toBe(field);
  });
});
