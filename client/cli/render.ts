/**
 * Human output: a link's state, how it ended, an account's mini programs, found workflows.
 * Pure functions from data to text, so the live view and `status` show the same thing.
 */
import { statusMeaning, type LinkedMiniProgram, type LinkState } from '../../workflows/contract';
import type { FoundWorkflow } from '../find-links';
import type { Ending } from './ending';
import { formatRelative, formatTime } from './format';
import type { Colors } from './output';

const SUCCESS = new Set(['linked', 'already_linked', 'unlinked', 'not_linked']);
const NONE = '—';

/** Colours an outcome or phase: green for success, yellow while under way, red for the rest. */
export function paintOutcome(c: Colors, value: string): string {
  if (SUCCESS.has(value)) return c.green(value);
  if (value === 'sending' || value === 'waiting') return c.yellow(value);
  if (value === 'done') return c.bold(value);
  return c.red(value);
}

/** The lines of a state, as `status` prints it and the live view redraws it; countdowns count from `nowMs`. */
export function renderState(state: LinkState, c: Colors, nowMs: number): string[] {
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(12))} ${value}`;
  const lines = [
    row('phase', paintOutcome(c, state.phase)),
    row('status', state.status === null ? `${NONE} ${c.dim('(not seen yet)')}` : `${c.bold(String(state.status))} ${state.statusMeaning ?? ''}`),
    row('outcome', state.outcome === null ? NONE : paintOutcome(c, state.outcome)),
  ];
  if (state.errcode !== null) lines.push(row('errcode', `${state.errcode} ${state.errmsg ?? ''}`));
  lines.push(
    row('polls', String(state.polls)),
    row('next poll', state.nextPollAt === null ? NONE : `${nextPollIn(state.nextPollAt, nowMs)} ${c.dim(`(${formatTime(state.nextPollAt)})`)}`),
    row('deadline', `${formatRelative(state.deadline, nowMs)} ${c.dim(`(${formatTime(state.deadline)})`)}`),
    row('mini program', [state.username ?? c.dim('username unknown'), state.nickname].filter(Boolean).join(' · ')),
    row('last error', state.lastError === null ? NONE : c.red(describeLastError(state.lastError))),
  );
  if (state.matching.note !== null) lines.push(row('matching', c.yellow(state.matching.note)));
  lines.push(row('transitions', state.transitions.length === 0 ? NONE : ''));
  for (const t of state.transitions) {
    lines.push(`    ${c.dim(formatTime(t.at))}  ${String(t.status).padStart(2)}  ${statusMeaning(t.status)}`);
  }
  return lines;
}

/** The one-line summary of a state that non-terminal output prints whenever something changes. */
export function renderStateLine(state: LinkState, c: Colors): string {
  const parts = [c.dim(formatTime(new Date().toISOString())), paintOutcome(c, state.outcome ?? state.phase)];
  if (state.status !== null) parts.push(`status ${state.status} (${state.statusMeaning ?? ''})`);
  if (state.errcode !== null) parts.push(`errcode ${state.errcode}${state.errmsg ? ` ${state.errmsg}` : ''}`);
  parts.push(`${state.polls} poll${state.polls === 1 ? '' : 's'}`);
  if (state.nextPollAt !== null) parts.push(`next poll ${formatTime(state.nextPollAt)}`);
  if (state.lastError !== null) parts.push(c.red(`last error: ${describeLastError(state.lastError)}`));
  if (state.matching.note !== null) parts.push(c.yellow(state.matching.note));
  return parts.join(' · ');
}

/** How a workflow ended, with the exit code the command will return. */
export function renderEnding(ending: Ending, c: Colors): string {
  const result = ending.result;
  const details = [
    result?.errcode !== undefined ? `errcode ${result.errcode}${result.errmsg ? ` ${result.errmsg}` : ''}` : null,
    result?.lastError ? `last error: ${describeLastError(result.lastError)}` : null,
    ending.reason,
    result ? `${result.polls} poll${result.polls === 1 ? '' : 's'}` : null,
  ].filter((d): d is string => d !== null);
  const mark = ending.exitCode === 0 ? c.green('✔') : c.red('✖');
  return `${mark} ${paintOutcome(c, ending.outcome)}${details.length > 0 ? ` — ${details.join(' · ')}` : ''} ${c.dim(`(exit ${ending.exitCode})`)}`;
}

/** An official account's mini programs as a table. */
export function renderItems(items: readonly LinkedMiniProgram[], table: (head: string[], rows: string[][]) => string): string {
  const rows = items.map((item) => [
    item.username,
    item.appid ?? NONE,
    item.nickname ?? NONE,
    String(item.status),
    item.statusMeaning,
    flag(item.released, 'yes', 'no'),
    flag(item.nearby_display_status, 'shown', 'hidden'),
    enabledFunctions(item.func_infos),
  ]);
  return table(['username', 'appid', 'nickname', 'status', 'meaning', 'released', 'nearby', 'enabled'], rows);
}

/** Found workflows as a table. */
export function renderFound(found: readonly FoundWorkflow[], table: (head: string[], rows: string[][]) => string, c: Colors): string {
  const rows = found.map((f) => [
    f.workflowId,
    f.workflowType === 'unlinkMiniProgram' ? 'unlink' : 'link',
    f.wxLinkStatus === null ? NONE : paintOutcome(c, f.wxLinkStatus),
    f.executionStatus,
    formatTime(f.startTime),
    f.closeTime === null ? NONE : formatTime(f.closeTime),
  ]);
  return table(['workflow id', 'kind', 'WxLinkStatus', 'execution', 'started', 'closed'], rows);
}

function nextPollIn(iso: string, nowMs: number): string {
  // Past the planned time the poll is under way; "0.3s ago" would read like a missed poll.
  return Date.parse(iso) <= nowMs ? 'now' : formatRelative(iso, nowMs);
}

function describeLastError(error: NonNullable<LinkState['lastError']>): string {
  // The activities' messages usually name the errcode already; say it only when they do not.
  const code = error.errcode !== undefined && !error.message.includes(String(error.errcode)) ? ` (errcode ${error.errcode})` : '';
  const times = error.consecutiveFailures > 1 ? `, ${error.consecutiveFailures} in a row` : '';
  return `${error.type}${code}: ${error.message} (at ${formatTime(error.at)}${times})`;
}

function flag(value: unknown, on: string, off: string): string {
  if (value === 1) return on;
  if (value === 0) return off;
  return value === undefined ? NONE : JSON.stringify(value);
}

function enabledFunctions(funcInfos: unknown): string {
  if (!Array.isArray(funcInfos)) return NONE;
  const names = funcInfos
    .filter((f): f is { status: number; name: string } => typeof f === 'object' && f !== null && (f as { status?: unknown }).status === 1)
    .map((f) => String(f.name));
  return names.length > 0 ? names.join(', ') : NONE;
}
