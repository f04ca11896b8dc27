/**
 * Scenario 8, garbled list answers: every account meets a seeded series of garbled
 * `wxamplinkget` answers (no `wxopens`, items not a list, an item without a numeric status, an
 * errcode of `""`, `[]` or `false`, an answer over 1 MiB) between good ones, while its admins
 * confirm at seeded moments; and unlinks of linked pairs meet garbled first snapshots. A garbled
 * answer is a transient fault, never "no entries": every link ends `linked` (never `expired`),
 * every unlink `unlinked` (never `not_linked`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultUsername, type FaultSpec } from '../../simulator';
import { startLinkHarness, type LinkHarness } from '../helpers/link-harness';
import { sleep, waitFor } from '../helpers/wait';
import { maxCallsPerSecond } from './helpers/call-pace';
import { reportRow } from './helpers/report';
import { scenarioRandom, secondsSince } from './helpers/suite';

const LINK_ACCOUNTS = 4;
const LINKS_PER_ACCOUNT = 3;
const UNLINKS = 4;
/** Of the answers an account gives while its links run, about this share is garbled. */
const GARBLE_RATE = 0.45;
const WAITING = { pollInterval: '200ms', maxPollInterval: '1s', timeout: '2m' } as const;
/** Polls back off to 1 s; a loop without back-off would show many more calls of one account in a second. */
const MAX_CALLS_PER_SECOND = 15;

/** The garbled answers, each built for the account whose link it may fool (an item naming one of its mini programs). */
const GARBLED: ReadonlyArray<{ kind: string; fault: (mp: string) => FaultSpec }> = [
  { kind: 'no wxopens', fault: () => ({ rawBody: '{"errcode":0,"errmsg":"ok"}' }) },
  { kind: 'wxopens null', fault: () => ({ rawBody: '{"errcode":0,"errmsg":"ok","wxopens":null}' }) },
  { kind: 'items not a list', fault: () => ({ rawBody: '{"errcode":0,"errmsg":"ok","wxopens":{"items":{}}}' }) },
  {
    kind: 'item without numeric status',
    fault: (mp) => ({
      rawBody: JSON.stringify({ errcode: 0, errmsg: 'ok', wxopens: { items: [{ status: 'linked', username: defaultUsername(mp), appid: mp }] } }),
    }),
  },
  { kind: 'errcode ""', fault: () => ({ rawBody: '{"errcode":"","errmsg":"ok","wxopens":{"items":[]}}' }) },
  { kind: 'errcode []', fault: () => ({ rawBody: '{"errcode":[],"errmsg":"ok","wxopens":{"items":[]}}' }) },
  { kind: 'errcode false', fault: () => ({ rawBody: '{"errcode":false,"errmsg":"ok","wxopens":{"items":[]}}' }) },
  { kind: 'over 1 MiB', fault: () => ({ oversizeBytes: 1_200_000 }) },
];

let h: LinkHarness;
beforeAll(async () => {
  h = await startLinkHarness();
});
afterAll(async () => {
  await h?.close();
});

/**
 * Garbles an account's `wxamplinkget` answers while `running()`: as each answer is read, a seeded
 * draw decides whether the next one is garbled (one fault pending at a time, so good and garbled
 * answers interleave). The kinds rotate from `offset`, so that every account meets each in turn.
 */
class Garbler {
  readonly kinds: string[] = [];
  constructor(
    private readonly oa: string,
    private readonly mp: string,
    private readonly random: () => number,
    private readonly offset: number,
  ) {}

  inject(): void {
    const garbled = GARBLED[(this.offset + this.kinds.length) % GARBLED.length];
    if (garbled === undefined) return;
    h.simulator.injectFault({ accountAppId: this.oa, endpoint: 'wxamplinkget', ...garbled.fault(this.mp) });
    this.kinds.push(garbled.kind);
  }

  /** Garbled answers WeChat gave so far. */
  seen(): number {
    return h.simulator.calls({ endpoint: 'wxamplinkget', accountAppId: this.oa }).filter((call) => call.faulted).length;
  }

  async run(running: () => boolean): Promise<void> {
    let answered = -1;
    while (running()) {
      const calls = h.simulator.countCalls({ endpoint: 'wxamplinkget', accountAppId: this.oa });
      if (calls !== answered) {
        answered = calls;
        if (this.seen() === this.kinds.length && this.random() < GARBLE_RATE) this.inject();
      }
      await sleep(15);
    }
  }
}

/** The admins of a link: once the invitation is listed, they confirm at seeded moments. */
async function admins(oa: string, mp: string, random: () => number): Promise<void> {
  await waitFor(() => h.simulator.entries(oa).some((item) => item.appid === mp), `the invitation of ${mp} listed`, 60_000);
  await sleep(500 + Math.floor(random() * 4_000));
  h.simulator.act(oa, mp, 'confirm-account');
  await sleep(Math.floor(random() * 2_000));
  h.simulator.act(oa, mp, 'confirm-mini-program');
}

/** The outcome a workflow ended with, or how it failed. */
async function outcomeOf(result: Promise<{ outcome: string }>): Promise<string> {
  try {
    return (await result).outcome;
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

describe('garbled list answers', () => {
  it(`${LINK_ACCOUNTS}×${LINKS_PER_ACCOUNT} links and ${UNLINKS} unlinks meet garbled wxamplinkget answers between good ones: all linked, all unlinked`, async () => {
    const started = Date.now();
    const random = scenarioRandom('garbled-list');
    const linkAccounts = Array.from({ length: LINK_ACCOUNTS }, () => ({
      oa: h.newAccount(),
      mps: Array.from({ length: LINKS_PER_ACCOUNT }, () => h.newMiniProgram()),
    }));
    const unlinkPairs = Array.from({ length: UNLINKS }, () => ({ oa: h.newAccount(), mp: h.newMiniProgram(), other: h.newMiniProgram() }));

    const garblers: Garbler[] = [];
    let running = true;
    const drivers: Array<Promise<void>> = [];
    for (const { oa, mps } of linkAccounts) {
      // Two kinds apart: the link accounts together meet every kind within their first two garbled answers.
      const garbler = new Garbler(oa, mps[0] ?? '', random, 2 * garblers.length);
      // The first answer an account gives (a link's baseline) may be garbled too.
      if (random() < GARBLE_RATE) garbler.inject();
      garblers.push(garbler);
      drivers.push(garbler.run(() => running));
    }
    // Unlinks: the pair is linked (beside another linked mini program); the first 1 to 3 snapshots are garbled.
    const firstGarbled: number[] = [];
    for (const { oa, mp, other } of unlinkPairs) {
      h.simulator.seedEntry(oa, mp, { status: 1 });
      h.simulator.seedEntry(oa, other, { status: 1 });
      const garbler = new Garbler(oa, mp, random, Math.floor(random() * GARBLED.length));
      const n = 1 + Math.floor(random() * 3);
      for (let i = 0; i < n; i++) garbler.inject();
      firstGarbled.push(n);
      h.simulator.scriptUnlink(oa, mp, { afterPolls: 1 + Math.floor(random() * 3) });
      garblers.push(garbler);
      drivers.push(garbler.run(() => running));
    }

    const linkOutcomes = Promise.all(
      linkAccounts.flatMap(({ oa, mps }) =>
        mps.map(async (mp) => {
          const handle = await h.links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...WAITING });
          const [outcome] = await Promise.all([outcomeOf(handle.result()), admins(oa, mp, random)]);
          return { oa, mp, outcome };
        }),
      ),
    );
    const unlinkOutcomes = Promise.all(
      unlinkPairs.map(async ({ oa, mp }) => {
        const handle = await h.links.unlink({ officialAccountAppId: oa, miniProgramAppId: mp, ...WAITING });
        return { oa, mp, outcome: await outcomeOf(handle.result()) };
      }),
    );
    const links = await linkOutcomes;
    const unlinks = await unlinkOutcomes;
    running = false;
    await Promise.all(drivers);
    h.simulator.clearFaults();

    const wrong = [
      ...links.filter((l) => l.outcome !== 'linked').map((l) => `link ${l.oa}/${l.mp}: ${l.outcome}`),
      ...unlinks.filter((u) => u.outcome !== 'unlinked').map((u) => `unlink ${u.oa}/${u.mp}: ${u.outcome}`),
    ];
    const accounts = [...linkAccounts.map((a) => a.oa), ...unlinkPairs.map((p) => p.oa)];
    const garbledSeen = garblers.reduce((sum, g) => sum + g.seen(), 0);
    const kindsSeen = new Set(garblers.flatMap((g) => g.kinds.slice(0, g.seen())));
    const perSecond = Math.max(...accounts.map((oa) => maxCallsPerSecond(h.simulator.calls({ accountAppId: oa }))));
    const unlinkSends = unlinkPairs.map(({ oa }) => h.simulator.countCalls({ endpoint: 'wxampunlink', accountAppId: oa }));
    // No fault touches wxamplink: any accepted send of a pair beyond its first is a duplicate.
    const duplicateSends = links.reduce(
      (sum, { mp }) => sum + Math.max(0, h.simulator.calls({ endpoint: 'wxamplink', miniProgramAppId: mp }).filter((c) => c.errcode === 0).length - 1),
      0,
    );
    reportRow({
      scenario: '8 garbled list answers',
      runs: links.length + unlinks.length,
      correct: links.length + unlinks.length - wrong.length,
      duplicateSends,
      apiCalls: accounts.reduce((sum, oa) => sum + h.simulator.countCalls({ accountAppId: oa }), 0),
      seconds: secondsSince(started),
      note: `${garbledSeen} garbled wxamplinkget answers seen (${kindsSeen.size}/${GARBLED.length} kinds; unlinks' first ${firstGarbled.join('/')} garbled); at most ${perSecond} calls of one account in a second`,
    });
    expect(wrong).toEqual([]);
    expect(duplicateSends).toBe(0);
    // The scenario did what it says: every kind of garbled answer was met, and read.
    expect([...kindsSeen].sort()).toEqual(GARBLED.map((g) => g.kind).sort());
    expect(unlinkSends).toEqual(unlinkPairs.map(() => 1));
    expect(perSecond).toBeLessThanOrEqual(MAX_CALLS_PER_SECOND);
  });
});
