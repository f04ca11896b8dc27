/**
 * The live view of `watch` and `--wait`. On a terminal it redraws in place four times a second,
 * the countdown to the next poll ticking between queries; elsewhere (a pipe, a log file, or
 * `--json`) it prints one line, or one JSON object, per change, which is what a script reads.
 */
import logUpdate from 'log-update';
import type { LinkState } from '../../workflows/contract';
import type { Ending } from './ending';
import type { Output } from './output';
import { renderEnding, renderState, renderStateLine } from './render';

/** Shows a following workflow: its states as they come, then how it ended. */
export interface WatchView {
  /** The answer of the latest query. */
  update(state: LinkState): void;
  /** Something that keeps the view from being current (e.g. no worker answers), or `null` once it clears. */
  problem(message: string | null): void;
  /** Shows the ending and stops. */
  finish(ending: Ending): void;
  /** Stops without an ending (Ctrl-C, an error), leaving what was shown. */
  stop(): void;
}

/** How often the terminal view redraws: often enough for a countdown in tenths of a second. */
const REDRAW_MS = 250;

/** The view that suits the output: redrawn on a terminal, line by line otherwise. */
export function createWatchView(output: Output, workflowId: string): WatchView {
  if (output.json) return new JsonLinesView(output, workflowId);
  return output.tty ? new TerminalView(output, workflowId) : new LinesView(output);
}

/** What counts as a change worth a line: not the poll count or the next poll time, which move all the time. */
function changeKey(state: LinkState): string {
  const { phase, status, outcome, errcode, matching, lastError } = state;
  return JSON.stringify([phase, status, outcome, errcode, matching.note, lastError?.type, lastError?.message]);
}

class TerminalView implements WatchView {
  private state: LinkState | null = null;
  private problemText: string | null = null;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly output: Output,
    private readonly workflowId: string,
  ) {
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.draw();
  }

  update(state: LinkState): void {
    this.state = state;
    this.draw();
  }

  problem(message: string | null): void {
    this.problemText = message;
    this.draw();
  }

  finish(ending: Ending): void {
    this.stop();
    this.output.print(renderEnding(ending, this.output.c));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.draw();
    logUpdate.done();
  }

  private draw(): void {
    const { c } = this.output;
    const lines = [c.bold(this.workflowId)];
    lines.push(...(this.state === null ? [c.dim('  asking the workflow…')] : renderState(this.state, c, Date.now())));
    if (this.problemText !== null) lines.push(c.yellow(`  ${this.problemText}`));
    if (!this.stopped) lines.push(c.dim('  Ctrl-C stops watching; the workflow goes on.'));
    logUpdate(lines.join('\n'));
  }
}

class LinesView implements WatchView {
  private lastKey: string | null = null;
  private lastProblem: string | null = null;

  constructor(private readonly output: Output) {}

  update(state: LinkState): void {
    const key = changeKey(state);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.output.print(renderStateLine(state, this.output.c));
  }

  problem(message: string | null): void {
    if (message !== null && message !== this.lastProblem) this.output.note(`wxamp: ${message}`);
    this.lastProblem = message;
  }

  finish(ending: Ending): void {
    this.output.print(renderEnding(ending, this.output.c));
  }

  stop(): void {}
}

class JsonLinesView implements WatchView {
  private lastKey: string | null = null;
  private lastProblem: string | null = null;

  constructor(
    private readonly output: Output,
    private readonly workflowId: string,
  ) {}

  update(state: LinkState): void {
    const key = changeKey(state);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.output.printJson({ type: 'state', workflowId: this.workflowId, ...state });
  }

  problem(message: string | null): void {
    // Problems are for the person; stdout stays parseable.
    if (message !== null && message !== this.lastProblem) this.output.note(`wxamp: ${message}`);
    this.lastProblem = message;
  }

  finish(ending: Ending): void {
    this.output.printJson({ type: 'outcome', workflowId: this.workflowId, ...endingJson(ending) });
  }

  stop(): void {}
}

/** An ending as JSON: `{ outcome, exitCode, reason, result }`. */
export function endingJson(ending: Ending): { outcome: string; exitCode: number; reason: string | null; result: Ending['result'] } {
  return { outcome: ending.outcome, exitCode: ending.exitCode, reason: ending.reason, result: ending.result };
}
