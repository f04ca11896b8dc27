/**
 * A campaign's bookkeeping: the pairs still to start, the links in flight, the mini programs and
 * accounts WeChat said no more of, the counts, the skipped pairs and recent problems. Pure and
 * deterministic (times are passed in), and small enough to carry across continue-as-new.
 */
import { linkWorkflowId } from '../contract';
import type { CampaignCounts, CampaignProblem, CampaignState, LinkReport, PairTuple } from './campaign-contract';
import { dedupePairs, pairKey } from './validate-campaign-input';
import { iso } from '../support/workflow-clock';

/** A link the campaign waits on. */
export interface InFlightLink {
  pair: PairTuple;
  /** Started by someone else: it will not report, the campaign looks at it. */
  joined: boolean;
  /** The start activity has answered for it (a fast link may report before that). */
  confirmed?: boolean;
}

/** Why pairs are no longer started: an errcode about a mini program or an account. */
export interface Block {
  appId: string;
  kind: 'miniProgram' | 'officialAccount';
  errcode: number;
}

/** Everything a campaign carries from one run to the next. */
export interface BookState {
  pending: PairTuple[];
  inFlight: Record<string, InFlightLink>;
  skipped: Array<{ reason: string; pairs: PairTuple[] }>;
  joined: PairTuple[];
  counts: CampaignCounts;
  blocked: Block[];
  problems: CampaignProblem[];
}

/** Errcodes after which no further link of the mini program is started. */
const MINI_PROGRAM_LIMITS: Readonly<Record<number, string>> = {
  89007: "the mini program's monthly link quota is used up",
  89009: "the mini program's link limit is reached",
};
/** Errcodes after which no further link of the account is started. */
const ACCOUNT_LIMITS: Readonly<Record<number, string>> = { 89016: "the account's monthly link quota is used up", 89017: "the account's link limit is reached" };
const RECENT_PROBLEMS = 10;
const SUCCESS: ReadonlySet<string> = new Set(['linked', 'already_linked']);

/** A book for a new campaign. */
export function newBook(pairs: PairTuple[], duplicates: number): BookState {
  return {
    pending: pairs,
    inFlight: {},
    skipped: [],
    joined: [],
    counts: {
      total: pairs.length,
      duplicates,
      pending: pairs.length,
      started: 0,
      joined: 0,
      waiting: 0,
      finished: 0,
      skipped: 0,
      byOutcome: {},
      byErrcode: {},
      skippedByReason: {},
    },
    blocked: [],
    problems: [],
  };
}

const bump = (record: Record<string, number>, key: string, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

/** Operations on a {@link BookState}. */
export class CampaignBook {
  constructor(readonly state: BookState) {}

  /** Adds pairs (a later chunk), dropping those already pending or in flight; returns the duplicates dropped. */
  add(pairs: PairTuple[]): number {
    const seen = new Set([...this.state.pending, ...Object.values(this.state.inFlight).map((l) => l.pair)].map(pairKey));
    const unique = dedupePairs(pairs, seen);
    const c = this.state.counts;
    c.total += unique.pairs.length;
    c.duplicates += unique.duplicates;
    this.state.pending.push(...unique.pairs.filter((pair) => this.blockOf(pair) === null));
    for (const pair of unique.pairs) {
      const block = this.blockOf(pair);
      if (block) this.skip([pair], blockReason(block));
    }
    this.sync();
    return unique.duplicates;
  }

  /** Takes the next `count` pairs to start and counts them in flight (before the start, so that early reports match). */
  take(count: number): PairTuple[] {
    const batch = this.state.pending.splice(0, count);
    for (const pair of batch) this.state.inFlight[linkWorkflowId(...pair)] = { pair, joined: false };
    this.sync();
    return batch;
  }

  /** The start activity's answer for one pair. */
  started(workflowId: string, how: 'started' | 'joined' | 'ours'): void {
    const link = this.state.inFlight[workflowId];
    if (!link || link.confirmed) return; // it reported before the start activity answered
    link.confirmed = true;
    if (how === 'joined') {
      link.joined = true;
      this.state.counts.joined++;
      this.state.joined.push(link.pair);
    } else {
      this.state.counts.started++;
    }
  }

  /** A link ended (its own report, or what a look at it found); reports of unknown links are ignored. */
  finish(report: LinkReport): boolean {
    const link = this.state.inFlight[report.workflowId];
    if (!link) return false;
    delete this.state.inFlight[report.workflowId];
    const c = this.state.counts;
    // Only this campaign's own links report: one that ended before its start was confirmed was started.
    if (!link.confirmed) c.started++;
    c.finished++;
    bump(c.byOutcome, report.outcome);
    if (report.errcode !== undefined) bump(c.byErrcode, String(report.errcode));
    const [oa, mp] = link.pair;
    if (!SUCCESS.has(report.outcome)) {
      this.problem({
        at: report.finishedAt,
        officialAccountAppId: oa,
        miniProgramAppId: mp,
        outcome: report.outcome,
        ...(report.errcode !== undefined && { errcode: report.errcode }),
        message: report.errmsg ?? report.outcome,
      });
    }
    if (report.outcome === 'refused' && report.errcode !== undefined) {
      if (MINI_PROGRAM_LIMITS[report.errcode]) this.block({ appId: mp, kind: 'miniProgram', errcode: report.errcode });
      if (ACCOUNT_LIMITS[report.errcode]) this.block({ appId: oa, kind: 'officialAccount', errcode: report.errcode });
    }
    this.sync();
    return true;
  }

  /** Counts pairs that arrive after a cancellation as skipped. */
  skipPairs(pairs: PairTuple[], reason: string): void {
    const unique = dedupePairs(pairs);
    this.state.counts.total += unique.pairs.length;
    this.state.counts.duplicates += unique.duplicates;
    this.skip(unique.pairs, reason);
    this.sync();
  }

  /** Records a problem that is not a link's (an ignored chunk). */
  note(message: string, nowMs: number): void {
    this.problem({ at: iso(nowMs), officialAccountAppId: '', miniProgramAppId: '', outcome: 'ignored', message });
  }

  /** Skips every pair still pending (the campaign was cancelled). */
  skipRest(reason: string): void {
    this.skip(this.state.pending.splice(0), reason);
    this.sync();
  }

  /** Links in flight: all, or only the joined ones (which do not report). */
  inFlightIds(onlyJoined: boolean): string[] {
    return Object.entries(this.state.inFlight)
      .filter(([, l]) => !onlyJoined || l.joined)
      .map(([id]) => id);
  }

  /** Whether the link was started by this campaign (not joined). */
  isOwn(workflowId: string): boolean {
    return this.state.inFlight[workflowId]?.joined === false;
  }

  /** Every link still in flight, counted as left running (a cancelled campaign that leaves them). */
  leaveRunning(): void {
    for (const id of Object.keys(this.state.inFlight)) this.leave(id);
  }

  /** One link in flight, counted as left running: its outcome is in its own workflow. */
  leave(workflowId: string): void {
    if (!this.state.inFlight[workflowId]) return;
    delete this.state.inFlight[workflowId];
    this.state.counts.finished++;
    bump(this.state.counts.byOutcome, 'left_running');
    this.sync();
  }

  get waiting(): number {
    return Object.keys(this.state.inFlight).length;
  }

  get pending(): number {
    return this.state.pending.length;
  }

  /** The blocks, for the query. */
  view(): Pick<CampaignState, 'counts' | 'blocked' | 'recentProblems'> {
    const c = this.state.counts;
    return {
      counts: { ...c, byOutcome: { ...c.byOutcome }, byErrcode: { ...c.byErrcode }, skippedByReason: { ...c.skippedByReason } },
      blocked: this.state.blocked.map((b) => ({ ...b })),
      recentProblems: this.state.problems.map((p) => ({ ...p })),
    };
  }

  private block(block: Block): void {
    if (this.state.blocked.some((b) => b.kind === block.kind && b.appId === block.appId)) return;
    this.state.blocked.push(block);
    const reason = blockReason(block);
    const keep: PairTuple[] = [];
    const skip: PairTuple[] = [];
    for (const pair of this.state.pending) (this.blockOf(pair) === block ? skip : keep).push(pair);
    this.state.pending = keep;
    this.skip(skip, reason);
  }

  private blockOf([oa, mp]: PairTuple): Block | null {
    return this.state.blocked.find((b) => (b.kind === 'miniProgram' ? b.appId === mp : b.appId === oa)) ?? null;
  }

  private skip(pairs: PairTuple[], reason: string): void {
    if (pairs.length === 0) return;
    const group = this.state.skipped.find((g) => g.reason === reason);
    if (group) group.pairs.push(...pairs);
    else this.state.skipped.push({ reason, pairs });
    const c = this.state.counts;
    c.skipped += pairs.length;
    bump(c.byOutcome, 'skipped', pairs.length);
    bump(c.skippedByReason, reason, pairs.length);
  }

  private problem(problem: CampaignProblem): void {
    this.state.problems.push(problem);
    if (this.state.problems.length > RECENT_PROBLEMS) this.state.problems.shift();
  }

  private sync(): void {
    this.state.counts.pending = this.state.pending.length;
    this.state.counts.waiting = Object.keys(this.state.inFlight).length;
  }
}

/** The reason skipped pairs show for a block: `89007: the mini program's monthly link quota is used up (wx…)`. */
export function blockReason(block: Block): string {
  const why = (block.kind === 'miniProgram' ? MINI_PROGRAM_LIMITS : ACCOUNT_LIMITS)[block.errcode] ?? 'refused';
  return `${block.errcode}: ${why} (${block.appId})`;
}
