import { describe, expect, it } from '@jest/globals';
import { matchEntry, type MatchContext, type SnapshotItem } from '../../workflows/pair/match-entry';

const context = (overrides: Partial<MatchContext> = {}): MatchContext => ({
  miniProgramAppId: 'wxmine',
  knownUsername: null,
  baselineUsernames: [],
  invitationPredatesSend: false,
  ...overrides,
});

describe('finding our entry in wxamplinkget', () => {
  it('uses appid when the answer carries it', () => {
    const items: SnapshotItem[] = [
      { appid: 'wxother', username: 'gh_other', status: 12 },
      { appid: 'wxmine', username: 'gh_mine', status: 2 },
    ];
    expect(matchEntry(items, context())).toMatchObject({ kind: 'found', by: 'appid', item: { username: 'gh_mine' } });
  });

  it('does not take an item that carries another appid, even when it is new', () => {
    const items: SnapshotItem[] = [{ appid: 'wxother', username: 'gh_other', status: 12 }];
    expect(matchEntry(items, context()).kind).toBe('absent');
  });

  it('falls back to the known username when items have no appid', () => {
    const items: SnapshotItem[] = [
      { username: 'gh_other', status: 12 },
      { username: 'gh_mine', status: 12 },
    ];
    expect(matchEntry(items, context({ knownUsername: 'gh_mine' }))).toMatchObject({ kind: 'found', by: 'username' });
  });

  it('is absent when the known username is not listed', () => {
    expect(matchEntry([{ username: 'gh_other', status: 12 }], context({ knownUsername: 'gh_mine' })).kind).toBe('absent');
  });

  it('takes the single entry that is new since the invitation', () => {
    const items: SnapshotItem[] = [
      { username: 'gh_old', status: 1 },
      { username: 'gh_new', status: 12 },
    ];
    expect(matchEntry(items, context({ baselineUsernames: ['gh_old'] }))).toMatchObject({ kind: 'found', by: 'snapshot_diff', item: { username: 'gh_new' } });
  });

  it('never guesses between two new entries', () => {
    const items: SnapshotItem[] = [
      { username: 'gh_a', status: 12 },
      { username: 'gh_b', status: 12 },
    ];
    const result = matchEntry(items, context());
    expect(result).toMatchObject({ kind: 'ambiguous', candidates: ['gh_a', 'gh_b'] });
    expect(result.kind === 'ambiguous' && result.note).toMatch(/miniProgramUsername/);
  });

  it('after 89010, takes the only pending entry that predates the invitation', () => {
    const items: SnapshotItem[] = [
      { username: 'gh_linked', status: 1 },
      { username: 'gh_pending', status: 12 },
    ];
    const result = matchEntry(items, context({ baselineUsernames: ['gh_linked', 'gh_pending'], invitationPredatesSend: true }));
    expect(result).toMatchObject({ kind: 'found', by: 'only_pending_entry', item: { username: 'gh_pending' } });
  });

  it('after 89010, never guesses between two pending entries that predate it', () => {
    const items: SnapshotItem[] = [
      { username: 'gh_a', status: 12 },
      { username: 'gh_b', status: 2 },
    ];
    expect(matchEntry(items, context({ baselineUsernames: ['gh_a', 'gh_b'], invitationPredatesSend: true })).kind).toBe('ambiguous');
  });

  it('without appid, username or baseline it cannot match', () => {
    expect(matchEntry([{ username: 'gh_x', status: 12 }], context({ baselineUsernames: null })).kind).toBe('absent');
  });
});
