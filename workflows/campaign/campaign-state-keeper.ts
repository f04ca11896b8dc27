/**
 * A campaign's state (carried across continue-as-new): its state (book, pace, controls), the query and signal handlers, and
 * what it shows in the Web UI. The loop that starts and follows links is link-campaign.ts.
 */
import { setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  addPairs,
  cancelCampaign,
  getCampaignState,
  linkReported,
  MAX_CAMPAIGN_PAIRS,
  paceHint,
  pauseCampaign,
  resumeCampaign,
  WxCampaignId,
  type CampaignState,
} from './campaign-contract';
import { CampaignBook, newBook, type BookState } from './campaign-book';
import { etaMs, newPace, paceView, slowDown, type PaceState } from './campaign-pace';
import { InputValidationError } from '../support/input-fields';
import { normalizePairChunk, type NormalizedCampaignInput } from './validate-campaign-input';
import { iso, nowMs } from '../support/workflow-clock';

/** The campaign's controls, carried across continue-as-new. */
export interface CampaignControls {
  paused: boolean;
  cancelRequested: boolean;
  /** The cancellation has been carried out (rest skipped, links cancelled or left). */
  cancelDone: boolean;
  /** Chunk indices received through `addPairs`. */
  chunksReceived: number[];
  /** The index of the chunk marked `last`, once received. */
  lastChunk: number | null;
  /** Looks at in-flight links so far (every 10th looks at all, the others at joined ones). */
  follows: number;
}

/** Everything a campaign carries from one run to the next. */
export interface CampaignCarryOver {
  book: BookState;
  pace: PaceState;
  controls: CampaignControls;
  startedAtMs: number;
  runs: number;
}

/** The state and handlers of one run. */
export class CampaignStateKeeper {
  readonly campaignId = workflowInfo().workflowId;
  readonly book: CampaignBook;
  readonly pace: PaceState;
  readonly controls: CampaignControls;
  readonly startedAtMs: number;
  readonly runs: number;
  /** Set by every signal: the loop looks again. */
  woken = false;

  constructor(
    private readonly input: NormalizedCampaignInput,
    carried?: CampaignCarryOver,
  ) {
    this.book = new CampaignBook(carried?.book ?? newBook(input.pairs, input.duplicates));
    this.pace = carried?.pace ?? newPace(input.maxInFlight, input.startsPerMinute, nowMs());
    this.controls = carried?.controls ?? {
      paused: false,
      cancelRequested: false,
      cancelDone: false,
      chunksReceived: [],
      lastChunk: input.morePairs ? null : 0,
      follows: 0,
    };
    this.startedAtMs = carried?.startedAtMs ?? nowMs();
    this.runs = (carried?.runs ?? 0) + 1;
    if (!carried) upsertSearchAttributes([{ key: WxCampaignId, value: this.campaignId }]);
    this.installHandlers();
    this.publish();
  }

  /** All pairs received: no `addPairs` chunk is missing. */
  get sealed(): boolean {
    const { lastChunk, chunksReceived } = this.controls;
    return lastChunk !== null && chunksReceived.length >= lastChunk;
  }

  /** The state to hand to the next run. */
  carryOver(): CampaignCarryOver {
    return { book: this.book.state, pace: this.pace, controls: this.controls, startedAtMs: this.startedAtMs, runs: this.runs };
  }

  /** What `getCampaignState` answers. */
  view(): CampaignState {
    const { paused, cancelRequested } = this.controls;
    const done = this.sealed && this.book.pending === 0 && this.book.waiting === 0;
    const phase: CampaignState['phase'] = done
      ? 'done'
      : cancelRequested
        ? 'cancelling'
        : paused
          ? 'paused'
          : !this.sealed
            ? 'receiving'
            : this.book.pending === 0
              ? 'draining'
              : 'running';
    const eta = paused || cancelRequested ? null : etaMs(this.pace, this.book.pending, nowMs());
    return {
      campaignId: this.campaignId,
      phase,
      ...this.book.view(),
      pace: paceView(this.pace),
      eta: eta === null ? null : iso(eta),
      startedAt: iso(this.startedAtMs),
      runs: this.runs,
    };
  }

  /** Shows the state in the Web UI's current details. */
  publish(): void {
    const s = this.view();
    const c = s.counts;
    const outcomes =
      Object.entries(c.byOutcome)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none yet';
    const lines = [
      `**Campaign ${s.campaignId}** — ${s.phase}`,
      `${c.finished + c.skipped} of ${c.total} pairs done (${outcomes}); ${c.waiting} waiting, ${c.pending} to start; ${c.started} started, ${c.joined} joined, ${c.duplicates} duplicates removed.`,
      `Pace: at most ${s.pace.maxInFlight} waiting, ${s.pace.currentStartsPerMinute} of ${s.pace.startsPerMinute} starts per minute${s.pace.slowedBy ? ` (slowed by ${s.pace.slowedBy} until ${s.pace.slowedUntil ?? '?'})` : ''}${s.eta ? `; last start expected ${s.eta}` : ''}.`,
      `Its links: \`WxCampaignId = '${s.campaignId}'\`.`,
    ];
    if (s.blocked.length > 0) lines.push(`No more links of: ${s.blocked.map((b) => `${b.appId} (${b.errcode})`).join(', ')}.`);
    const last = s.recentProblems.at(-1);
    if (last)
      lines.push(
        `Last problem: ${last.officialAccountAppId}/${last.miniProgramAppId} ${last.outcome}${last.errcode ? ` ${last.errcode}` : ''}: ${last.message}`,
      );
    setCurrentDetails(lines.join('\n\n'));
  }

  private installHandlers(): void {
    const wake = (): void => {
      this.woken = true;
    };
    setHandler(getCampaignState, () => this.view());
    setHandler(pauseCampaign, () => {
      this.controls.paused = true;
      wake();
    });
    setHandler(resumeCampaign, () => {
      this.controls.paused = false;
      wake();
    });
    setHandler(cancelCampaign, () => {
      this.controls.cancelRequested = true;
      wake();
    });
    setHandler(linkReported, (report) => {
      if (this.book.finish(report)) wake();
    });
    setHandler(paceHint, (hint) => {
      slowDown(this.pace, hint.errcode, this.input.paceRecoveryMs, nowMs());
      wake();
    });
    setHandler(addPairs, (raw) => {
      this.receive(raw);
      wake();
    });
  }

  /** One `addPairs` chunk: validated, taken once (a chunk sent again is ignored), within the size limit. */
  private receive(raw: unknown): void {
    let chunk;
    try {
      chunk = normalizePairChunk(raw);
    } catch (error) {
      if (!(error instanceof InputValidationError)) throw error;
      this.book.note(`addPairs ignored: ${error.message}`, nowMs());
      return;
    }
    if (this.controls.chunksReceived.includes(chunk.index)) return;
    if (this.book.state.counts.total + chunk.pairs.length > MAX_CAMPAIGN_PAIRS) {
      this.book.note(`addPairs chunk ${chunk.index} ignored: the campaign would exceed ${MAX_CAMPAIGN_PAIRS} pairs`, nowMs());
    } else if (this.controls.cancelRequested) {
      this.book.skipPairs(chunk.pairs, 'campaign cancelled');
    } else {
      this.book.add(chunk.pairs);
    }
    this.controls.chunksReceived.push(chunk.index);
    if (chunk.last) this.controls.lastChunk = chunk.index;
  }
}
