/**
 * Finding our mini program in a `wxamplinkget` answer. Newer answers carry `appid`; older ones only
 * the `gh_…` username, so the workflow falls back to a known username, then to the entry that is
 * new since just before the invitation was sent. It never guesses between two candidates. Pure.
 */
import type { EntryMatching, SnapshotItem } from '../contract';

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
  /**
   * What other workflows waiting on the account claim (their usernames, or their baselines while
   * they match by what is new). An entry another waiter could claim is never taken by elimination.
   */
  rivals?: readonly Rival[];
}

/** Another waiting workflow's claim: its entry's username, or the usernames listed before its invitation. */
export interface Rival {
  workflowId: string;
  username: string | null;
  baseline: readonly string[] | null;
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
  const rivals = context.rivals ?? [];
  // An entry another waiter knows as its own is not a candidate at all.
  const claimed = new Set(rivals.flatMap((rival) => (rival.username === null ? [] : [rival.username])));
  const unclaimed = withoutAppId.filter((item) => !claimed.has(item.username));
  const fresh = unclaimed.filter((item) => !baseline.has(item.username));
  const single = pickSingle(fresh, 'snapshot_diff', 'entries new since the invitation');
  if (single?.kind === 'found')
    return contested(single, rivals, (rival) => rival.baseline !== null && !rival.baseline.includes(single.item.username)) ?? single;
  if (single) return single;

  if (context.invitationPredatesSend) {
    const pendingBefore = unclaimed.filter((item) => baseline.has(item.username) && isPending(item));
    const pending = pickSingle(pendingBefore, 'only_pending_entry', 'pending entries that predate the invitation');
    // Another waiter that matches by elimination could own a pending entry as well as we could.
    if (pending?.kind === 'found') return contested(pending, rivals, (rival) => rival.username === null && rival.baseline !== null) ?? pending;
    if (pending) return pending;
  }
  return { kind: 'absent', note: 'no entry new since the invitation was sent' };
}

/** An ambiguous result when a rival could claim the entry found by elimination, else null. */
function contested(found: Extract<MatchResult, { kind: 'found' }>, rivals: readonly Rival[], couldClaim: (rival: Rival) => boolean): MatchResult | null {
  const contenders = rivals.filter((rival) => rival.username === null && couldClaim(rival)).map((rival) => rival.workflowId);
  if (contenders.length === 0) return null;
  return {
    kind: 'ambiguous',
    candidates: [found.item.username],
    note: `${found.item.username} could be ours or ${contenders.join(', ')}'s (the answers carry no appid); waiting until one is told apart — pass miniProgramUsername to settle it`,
  };
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
