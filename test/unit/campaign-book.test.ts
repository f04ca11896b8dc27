import { describe, expect, it } from '@jest/globals';
import { CampaignBook, newBook } from '../../workflows/campaign/campaign-book';
import { batchSize, newPace, recover, slowDown } from '../../workflows/campaign/campaign-pace';
import { InputValidationError } from '../../workflows/support/input-fields';
import { normalizeCampaignInput, normalizePairChunk } from '../../workflows/campaign/validate-campaign-input';
import type { PairTuple } from '../../workflows/campaign/campaign-contract';

const report = (oa: string, mp: string, outcome: 'linked' | 'refused', errcode?: number) => ({
  workflowId: `wxamp-link/${oa}/${mp}`,
  outcome,
  status: null,
  finishedAt: '2026-01-01T00:00:00.000Z',
  ...(errcode && { errcode }),
});

describe('campaign input', () => {
  it('takes each of the three shapes, removes and counts duplicates, applies the defaults', () => {
    expect(normalizeCampaignInput({ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa', 'wxb', 'wxa'] })).toMatchObject({
      pairs: [
        ['wxa', 'wxmp'],
        ['wxb', 'wxmp'],
      ],
      duplicates: 1,
      maxInFlight: 50,
      startsPerMinute: 60,
      onCancel: 'leave',
      morePairs: false,
    });
    expect(normalizeCampaignInput({ officialAccountAppId: 'wxa', miniProgramAppIds: ['wx1', 'wx2'] }).pairs).toEqual([
      ['wxa', 'wx1'],
      ['wxa', 'wx2'],
    ]);
    expect(normalizeCampaignInput({ pairs: [{ officialAccountAppId: 'wxa', miniProgramAppId: 'wx1' }], showProfile: true }).linkOptions).toEqual({
      showProfile: true,
    });
  });

  it.each([
    [{ miniProgramAppId: 'wxmp' }, 'officialAccountAppIds'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa'], pairs: [] }, 'input'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wx a'] }, 'officialAccountAppIds[0]'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: [] }, 'officialAccountAppIds'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: Array.from({ length: 1_001 }, (_, i) => `wx${i}`) }, 'officialAccountAppIds'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa'], startsPerMinute: 0 }, 'startsPerMinute'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa'], pollInterval: 'soon' }, 'pollInterval'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa'], onCancel: 'stop' }, 'onCancel'],
    [{ miniProgramAppId: 'wxmp', officialAccountAppIds: ['wxa'], maxInflight: 3 }, 'maxInflight'],
  ])('case %# is refused, naming %s', (input, field) => {
    expect(() => normalizeCampaignInput(input)).toThrow(InputValidationError);
    try {
      normalizeCampaignInput(input);
    } catch (error) {
      expect((error as InputValidationError).field).toBe(field);
    }
  });

  it('checks addPairs chunks', () => {
    expect(normalizePairChunk({ index: 1, pairs: [['wxa', 'wxb']], last: true })).toEqual({ index: 1, pairs: [['wxa', 'wxb']], last: true });
    expect(() => normalizePairChunk({ index: 1, pairs: [['wxa']], last: true })).toThrow(/pairs\[0\]/);
  });
});

describe('campaign book', () => {
  it('89007 skips the pending pairs of that mini program with the reason; 89017 those of that account', () => {
    const pairs: PairTuple[] = [
      ['wxa', 'wxm1'],
      ['wxb', 'wxm1'],
      ['wxc', 'wxm1'],
      ['wxa', 'wxm2'],
      ['wxb', 'wxm2'],
      ['wxc', 'wxm3'],
    ];
    const book = new CampaignBook(newBook(pairs, 0));
    book.take(1);
    book.started('wxamp-link/wxa/wxm1', 'started');
    expect(book.finish(report('wxa', 'wxm1', 'refused', 89007))).toBe(true);
    expect(book.state.pending).toEqual([
      ['wxa', 'wxm2'],
      ['wxb', 'wxm2'],
      ['wxc', 'wxm3'],
    ]);
    expect(book.state.skipped).toEqual([
      {
        reason: "89007: the mini program's monthly link quota is used up (wxm1)",
        pairs: [
          ['wxb', 'wxm1'],
          ['wxc', 'wxm1'],
        ],
      },
    ]);
    book.take(1);
    book.finish(report('wxa', 'wxm2', 'refused', 89017));
    expect(book.state.pending).toEqual([
      ['wxb', 'wxm2'],
      ['wxc', 'wxm3'],
    ]);
    expect(book.state.counts).toMatchObject({ total: 6, started: 2, finished: 2, skipped: 2, pending: 2, byOutcome: { refused: 2, skipped: 2 } });
    expect(book.state.problems.map((p) => p.errcode)).toEqual([89007, 89017]);
  });

  it('a report before the start is confirmed counts the link started once; a second report is ignored', () => {
    const book = new CampaignBook(newBook([['wxa', 'wxm']], 0));
    book.take(1);
    expect(book.finish(report('wxa', 'wxm', 'linked'))).toBe(true);
    book.started('wxamp-link/wxa/wxm', 'started');
    expect(book.finish(report('wxa', 'wxm', 'linked'))).toBe(false);
    expect(book.state.counts).toMatchObject({ started: 1, finished: 1, waiting: 0, byOutcome: { linked: 1 } });
  });

  it('later chunks drop pairs still pending or in flight', () => {
    const book = new CampaignBook(
      newBook(
        [
          ['wxa', 'wxm'],
          ['wxb', 'wxm'],
        ],
        0,
      ),
    );
    book.take(1);
    expect(
      book.add([
        ['wxa', 'wxm'],
        ['wxb', 'wxm'],
        ['wxc', 'wxm'],
        ['wxc', 'wxm'],
      ]),
    ).toBe(3);
    expect(book.state.counts).toMatchObject({ total: 3, duplicates: 3, pending: 2 });
  });
});

describe('campaign pace', () => {
  it('45011 halves the pace (together once), recovery doubles it back; 45009 cuts it to a tenth', () => {
    const pace = newPace(50, 60, 0);
    expect(batchSize(pace, 50, 100)).toBe(5);
    slowDown(pace, 45011, 60_000, 1_000);
    slowDown(pace, 45011, 60_000, 2_000);
    expect(pace.current).toBe(30);
    expect(recover(pace, 60_000, 30_000)).toBe(false);
    expect(recover(pace, 60_000, 61_000)).toBe(true);
    expect(pace).toMatchObject({ current: 60, slowedBy: null });
    slowDown(pace, 45009, 60_000, 100_000);
    expect(pace.current).toBe(6);
    expect(pace.slowedUntilMs).toBe(100_000 + 12 * 60_000);
  });
});
