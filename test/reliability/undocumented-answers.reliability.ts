/**
 * Scenario 6, undocumented answers: errcodes WeChat does not document, status 4, an item list
 * that is suddenly empty, an answer without `wxopens`, HTML with HTTP 200. Each ends in the
 * outcome DESIGN defines, recorded in the result, or keeps waiting as DESIGN says; none crashes
 * the worker, and none loops without back-off (calls per second are counted).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LinkResult } from '../../client';
import { AUTO_CONFIRM_SCRIPT, type CallRecord } from '../../simulator';
import { FAST, startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { waitFor } from '../helpers/wait';
import { reportRow } from './helpers/report';
import { secondsSince } from './helpers/suite';

const HTML = '<!DOCTYPE html><html><head><title>微信公众平台</title></head><body>系统繁忙</body></html>';
/** FAST polls every 100 ms: more than this many calls of one pair in any second would be a loop without back-off. */
const MAX_CALLS_PER_SECOND = 11;

let h: LinkHarness;
const started = Date.now();
const tally = { runs: 0, correct: 0, calls: 0, worstPerSecond: 0 };

beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  reportRow({
    scenario: '6 undocumented answers',
    runs: tally.runs,
    correct: tally.correct,
    duplicateSends: 0,
    apiCalls: tally.calls,
    seconds: secondsSince(started),
    note: `at most ${tally.worstPerSecond} calls of one pair in any second`,
  });
  await h?.close();
});

/** The most calls that fall within any one second. */
function maxCallsPerSecond(calls: readonly CallRecord[]): number {
  const times = calls.map((call) => Date.parse(call.at)).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 1_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** A fresh pair; `run` drives it to its end; the pair's calls are checked for pace and counted. */
async function pairCase(run: (oa: string, mp: string) => Promise<void>): Promise<void> {
  tally.runs += 1;
  const oa = h.newAccount();
  const mp = h.newMiniProgram();
  await run(oa, mp);
  const calls = h.simulator.calls({ accountAppId: oa });
  const perSecond = maxCallsPerSecond(calls);
  tally.calls += calls.length;
  tally.worstPerSecond = Math.max(tally.worstPerSecond, perSecond);
  expect(perSecond).toBeLessThanOrEqual(MAX_CALLS_PER_SECOND);
  tally.correct += 1;
}

/** Starts a link and waits until it has seen its entry at status 12. */
async function linkWaitingAt12(oa: string, mp: string, waiting: object = FAST) {
  const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...waiting });
  await waitFor(async () => (await h.links.getState(oa, mp)).status === 12, 'the link waiting at status 12');
  return handle;
}

const statuses = (result: LinkResult): number[] => result.transitions.map((t) => t.status);

describe('undocumented answers', () => {
  it('an undocumented errcode on wxamplink (1005) ends refused, with the code and message, after one call', () =>
    pairCase(async (oa, mp) => {
      h.simulator.configureMiniProgram(mp, { linkErrcode: 1005 });
      const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
      expect(result).toMatchObject({ outcome: 'refused', errcode: 1005, errmsg: expect.any(String) });
      expect(h.simulator.countCalls({ endpoint: 'wxamplink', accountAppId: oa })).toBe(1);
    }));

  it('one undocumented errcode on wxamplinkget while waiting (89407) ends nothing: the link goes on to linked', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp);
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 89407 });
      await waitFor(async () => (await h.links.getState(oa, mp)).lastError?.errcode === 89407, 'the odd answer in the state');
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
      expect(await handle.result()).toMatchObject({ outcome: 'linked', status: 1 });
    }));

  it('an undocumented errcode on wxamplinkget answered again and again ends refused after the streak, with the code; no call follows', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp);
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 89407, times: 1_000 });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'refused', errcode: 89407, status: 12 });
      const calls = h.simulator.countCalls({ accountAppId: oa });
      expect(h.simulator.calls({ accountAppId: oa }).filter((call) => call.errcode === 89407).length).toBeGreaterThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(h.simulator.countCalls({ accountAppId: oa })).toBe(calls);
      h.simulator.clearFaults();
    }));

  it('an undocumented errcode on wxampunlink (1005) ends the unlink refused, with the code', () =>
    pairCase(async (oa, mp) => {
      h.simulator.seedEntry(oa, mp, { status: 1 });
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxampunlink', errcode: 1005 });
      const result = await (await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
      expect(result).toMatchObject({ outcome: 'refused', errcode: 1005 });
    }));

  it('status 4 is recorded as pending, with its meaning, and the link goes on to linked', () =>
    pairCase(async (oa, mp) => {
      h.simulator.scriptLink(oa, mp, [
        { afterPolls: 1, then: 4 },
        { afterPolls: 3, then: 2 },
        { afterPolls: 1, then: 1 },
      ]);
      const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
      await waitFor(async () => (await h.links.getState(oa, mp)).status === 4, 'status 4');
      expect(await h.links.getState(oa, mp)).toMatchObject({ phase: 'waiting', statusMeaning: 'undocumented status 4 (treated as pending)', outcome: null });
      const result = await handle.result();
      expect(result.outcome).toBe('linked');
      expect(statuses(result)).toEqual([12, 4, 2, 1]);
    }));

  it('status 4 until the deadline ends timed_out with status 4 recorded, polling at a backed-off pace', () =>
    pairCase(async (oa, mp) => {
      h.simulator.scriptLink(oa, mp, [{ afterPolls: 1, then: 4 }]);
      const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST, timeout: '4s' })).result();
      expect(result).toMatchObject({ outcome: 'timed_out', status: 4 });
      expect(statuses(result)).toEqual([12, 4]);
      // 4 s of polls backing off from 100 ms to 400 ms: about a dozen, never forty.
      expect(result.polls).toBeLessThanOrEqual(15);
    }));

  it('one answer with an empty item list is not trusted: the link goes on waiting, and links', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp);
      const pollsBefore = (await h.links.getState(oa, mp)).polls;
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"errmsg":"ok","wxopens":{"items":[]}}' });
      // The empty answer, then one that lists the entry again.
      await waitFor(async () => (await h.links.getState(oa, mp)).polls >= pollsBefore + 2, 'two more answers');
      expect((await h.links.getState(oa, mp)).phase).toBe('waiting');
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
      const result = await handle.result();
      expect(result.outcome).toBe('linked');
      expect(statuses(result)).toEqual([12, 1]);
    }));

  it('two answers in a row without the entry end expired, recorded with its last status', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp);
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"errmsg":"ok","wxopens":{"items":[]}}', times: 2 });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'expired', status: 12 });
      expect(statuses(result)).toEqual([12]);
    }));

  it('answers without wxopens are malformed, not empty: retried and shown, never expired, and the link goes on to linked', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp);
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"errmsg":"ok"}', times: 3 });
      await waitFor(async () => (await h.links.getState(oa, mp)).lastError?.message.includes('malformed') === true, 'the malformed answer in the state');
      expect((await h.links.getState(oa, mp)).phase).toBe('waiting');
      h.simulator.act(oa, mp, 'confirm-account');
      h.simulator.act(oa, mp, 'confirm-mini-program');
      expect(await handle.result()).toMatchObject({ outcome: 'linked', status: 1 });
    }));

  it('HTML with HTTP 200 is retried with back-off, on the send and on polls, and the link goes on to linked', () =>
    pairCase(async (oa, mp) => {
      h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplink', httpStatus: 200, rawBody: HTML, times: 2 });
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', httpStatus: 200, rawBody: HTML, times: 6 });
      const result = await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
      expect(result.outcome).toBe('linked');
      expect(h.simulator.calls({ endpoint: 'wxamplink', accountAppId: oa }).map((c) => c.errcode)).toEqual([null, null, 0]);
      // Each retry waited: consecutive failed polls are at least ~pollInterval apart.
      const failed = h.simulator
        .calls({ accountAppId: oa })
        .filter((c) => c.faulted)
        .map((c) => Date.parse(c.at));
      const gaps = failed.slice(1).map((t, i) => t - (failed[i] ?? t));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(80);
    }));

  it('HTML with HTTP 200 on every poll ends timed_out at the deadline, the failure recorded, never a hot loop', () =>
    pairCase(async (oa, mp) => {
      const handle = await linkWaitingAt12(oa, mp, { ...FAST, timeout: '4s' });
      h.simulator.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', httpStatus: 200, rawBody: HTML, times: 1_000 });
      await waitFor(async () => (await h.links.getState(oa, mp)).lastError !== null, 'the failure in the state');
      expect((await h.links.getState(oa, mp)).lastError).toMatchObject({ type: 'WeChatTransient', message: expect.stringContaining('not a JSON object') });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'timed_out', status: 12, lastError: { type: 'WeChatTransient' } });
      expect(h.simulator.countCalls({ accountAppId: oa, endpoint: 'wxamplinkget' })).toBeLessThanOrEqual(20);
      h.simulator.clearFaults();
    }));

  it('after all of these the worker still links', () =>
    pairCase(async (oa, mp) => {
      h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
      expect((await (await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result()).outcome).toBe('linked');
    }));
});
