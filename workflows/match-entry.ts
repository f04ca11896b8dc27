/**
 * Finding our mini program in a `wxamplinkget` answer. Newer answers carry `appid`; older ones only
 * the `gh_…` username, so the workflow falls back to a known username, then to the entry that is
 * new since just before the invitation was sent. It never guesses between two candidates. Pure.
 */
import type { EntryMatching, SnapshotItem } from './contract';

export type { SnapshotItem };


/** What the workflow knows when it looks for its entry. */
export interface MatchContext {
  miniProgramAppId: string;
  /** Caller's `miniProgramUsername`, or the username learned from an earlier match. */
  knownUsername: string | null;
  /** Usernames listed just before the invitation was sent, or `null` if no snapshot was taken. */
  baselineUsernames: readonly string[] | null;
  /** WeChat said an invitation was already pending (89010, 89035): our entry may predate the send. */
  invitationPredatesSend: boolean;
}

/** The outcome of a match. */
export type MatchResult =
  | { kind: 'found'; item: SnapshotItem; by: NonNullable<EntryMatching['by']> }
  | { kind: 'absent'; note: string }
  | { kind: 'ambiguous'; candidates: string[]; note: string };

const isPending = (item: SnapshotItem): boolean => item.status !== 1 && item.status !== 3;

/** Looks for the workflow's entry among `items`. */
export function matchEntry(items: readonly SnapshotItem[], context: MatchContext): MatchResult {
  const byAppId = items.find((item) => item.appid === context.miniProgramAppId);
  if (byAppId) return { kind: 'found', item: byAppId, by: 'appid' };

  // Items that carry an appid are someone else's: only the ones without can be ours.
  const withoutAppId = items.filter((item) => item.appid === undefined || item.appid === '');

  if (context.knownUsername !== null) {
    const byUsername = withoutAppId.find((item) => item.username === context.knownUsername);
    if (byUsername) return { kind: 'found', item: byUsername, by: 'username' };
    return { kind: 'absent', note: `no entry with username ${context.knownUsername}` };
  }
  if (context.baselineUsernames === null) {
    return { kind: 'absent', note: 'the answer has no appid and the username is unknown' };
  }

  const baseline = new Set(context.baselineUsernames);
  const fresh = withoutAppId.filter((item) => !baseline.has(item.username));
  const single = pickSingle(fresh, 'snapshot_diff', 'entries new since the invitation');
  if (single) return single;

  if (context.invitationPredatesSend) {
    const pendingBefore = withoutAppId.filter((item) => baseline.has(item.username) && isPending(item));
    const pending = pickSingle(pendingBefore, 'only_pending_entry', 'pending entries that predate the invitation');
    if (pending) return pending;
  }
  return { kind: 'absent', note: 'no entry new since the invitation was sent' };
}

function pickSingle(candidates: SnapshotItem[], by: 'snapshot_diff' | 'only_pending_entry', what: string): MatchResult | null {
  const [first, second] = candidates;
  if (first === undefined) return null;
  if (second === undefined) return { kind: 'found', item: first, by };
  const usernames = candidates.map((item) => item.username);
  return {
    kind: 'ambiguous',
    candidates: usernames,
    note: `${usernames.length} ${what} could be ours (${usernames.join(', ')}); waiting until one is told apart — pass miniProgramUsername to settle it`,
  };
}
