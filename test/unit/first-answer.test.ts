/**
 * Who gets the answer after a watcher's first answer (workflows/watch/first-answer.ts): only the
 * waiters that may be counting an absence.
 */
import { describe, expect, it } from '@jest/globals';
import type { Waiter } from '../../common/account-watch';
import { waitersAfterFirstAnswer } from '../../workflows/watch/first-answer';

const waiter = (workflowId: string, claim?: Waiter['claim']): Waiter => ({
  workflowId,
  pollIntervalMs: 15_000,
  maxPollIntervalMs: 300_000,
  maxHistoryEvents: 10_000,
  ...(claim && { claim }),
});
const items = [
  { username: 'gh_listed', status: 12, appid: 'wxlisted' },
  { username: 'gh_linked', status: 1 },
];

describe('waitersAfterFirstAnswer', () => {
  it('owes nobody the next answer when every named entry is listed, or no entry is named yet', () => {
    const waiters = [
      waiter('a', { username: 'gh_listed', baseline: null }),
      waiter('b', { username: 'gh_linked', baseline: null }),
      waiter('c', { username: null, baseline: ['gh_linked'] }),
      waiter('d', { username: null, baseline: null }),
    ];
    expect(waitersAfterFirstAnswer(waiters, items)).toEqual([]);
  });

  it('owes it to a waiter whose entry was listed before and is missing now: its absence needs a second answer', () => {
    expect(
      waitersAfterFirstAnswer([waiter('gone', { username: 'gh_gone', baseline: null }), waiter('here', { username: 'gh_listed', baseline: null })], items),
    ).toEqual(['gone']);
  });

  it('owes it to a waiter without a claim (it joined before claims existed): nothing says what it saw', () => {
    expect(waitersAfterFirstAnswer([waiter('old')], items)).toEqual(['old']);
  });

  it('owes it to every named waiter when the list is empty', () => {
    const waiters = [waiter('a', { username: 'gh_a', baseline: null }), waiter('b', { username: null, baseline: [] })];
    expect(waitersAfterFirstAnswer(waiters, [])).toEqual(['a']);
  });
});
