/**
 * A garbled answer is a transient failure, never a success and never "no entries": the errcode
 * of any answer, and the item list of `wxamplinkget`, row by row.
 */
import { describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { readErrcode } from '../../activities/json-object';
import { linkedItems } from '../../activities/link-activities';
import { WeChatFailureType } from '../../workflows/contract';

describe('the errcode of an answer', () => {
  it.each([
    [{}, 0],
    [{ errcode: 0 }, 0],
    [{ errcode: -1 }, -1],
    [{ errcode: 89010 }, 89010],
    [{ errcode: '0' }, 0],
    [{ errcode: '40001' }, 40001],
    [{ errcode: undefined }, 0],
  ])('%j reads as %i', (answer, errcode) => {
    expect(readErrcode(answer)).toEqual({ ok: true, errcode });
  });

  it.each([[''], [' '], [null], [false], [true], [[]], [{}], ['abc'], ['1e3'], [1.5], [Number.NaN]])('%j is garbled, never 0', (errcode) => {
    const reading = readErrcode({ errcode });
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.why).toMatch(/errcode that is not a number/);
  });
});

/** The failure `linkedItems` raises for `answer`. */
function failureOf(answer: Record<string, unknown>): ApplicationFailure {
  try {
    linkedItems(answer);
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
    throw error;
  }
  throw new Error(`no failure for ${JSON.stringify(answer)}`);
}

const item = { status: 1, username: 'gh_0123456789ab' };

describe('the item list of wxamplinkget', () => {
  it.each([
    ['no wxopens', { errcode: 0, errmsg: 'ok' }, /no wxopens$/],
    ['wxopens null', { wxopens: null }, /wxopens is not an object/],
    ['wxopens a list', { wxopens: [item] }, /wxopens is not an object/],
    ['wxopens a string', { wxopens: 'items' }, /wxopens is not an object/],
    ['no items', { wxopens: {} }, /no wxopens\.items/],
    ['items null', { wxopens: { items: null } }, /wxopens\.items is not a list/],
    ['items an object', { wxopens: { items: { 0: item } } }, /wxopens\.items is not a list/],
    ['an item that is not an object', { wxopens: { items: [item, 'gh_x'] } }, /item 1 is not an object/],
    ['an item without status', { wxopens: { items: [{ username: 'gh_1' }] } }, /item 0 has no numeric status/],
    ['a status of ""', { wxopens: { items: [{ ...item, status: '' }] } }, /item 0 has no numeric status/],
    ['a status of null', { wxopens: { items: [{ ...item, status: null }] } }, /item 0 has no numeric status/],
    ['a status of "linked"', { wxopens: { items: [{ ...item, status: 'linked' }] } }, /item 0 has no numeric status/],
    ['a status of true', { wxopens: { items: [{ ...item, status: true }] } }, /item 0 has no numeric status/],
    ['an item without username', { wxopens: { items: [{ status: 1 }] } }, /item 0 has no username/],
    ['a numeric username', { wxopens: { items: [{ status: 1, username: 42 }] } }, /item 0 has no username/],
    ['an empty username', { wxopens: { items: [{ status: 1, username: '' }] } }, /item 0 has no username/],
  ])('%s: a transient failure naming what was malformed', (_case, answer, why) => {
    const failure = failureOf(answer);
    expect(failure.type).toBe(WeChatFailureType.Transient);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/^wxamplinkget: malformed answer: /);
    expect(failure.message).toMatch(why);
  });

  it('reads an empty list as no entries: only a well-formed list can say that', () => {
    expect(linkedItems({ errcode: 0, errmsg: 'ok', wxopens: { items: [] } })).toEqual([]);
  });

  it('keeps every field, and takes a status written as a string of digits', () => {
    const items = linkedItems({ wxopens: { items: [{ ...item, status: '12', nickname: 'n', func_infos: [] }] } });
    expect(items).toEqual([{ status: 12, username: 'gh_0123456789ab', nickname: 'n', func_infos: [] }]);
  });
});
