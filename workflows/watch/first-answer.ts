/**
 * Who needs the answer after a watcher's first answer.
 *
 * An answer that changed the account's entries goes to every waiter, and so does the one after
 * it: a waiter whose entry has just vanished ends only on a second answer without it (one answer
 * alone is not trusted). A watcher's first answer has nothing before it, so it counts as a change,
 * but it changes nothing any waiter saw: each waiter is owed that answer anyway (it just joined).
 * Sending the next one to all again would wake every waiter of a new watcher twice for nothing,
 * which at thousands of links is most of the worker's replays. So the next answer goes only to the
 * waiters that may be counting an absence: those whose entry was listed before (their claim names
 * its username) and is missing now, and those whose claim the watcher cannot read (waiters from
 * before claims existed).
 *
 * Pure: imported by workflow code.
 */
import type { SnapshotItem } from '../contract';
import type { Waiter } from './watch-protocol';

/** The workflow ids of the waiters that need the answer after a watcher's first one (see the module comment). */
export function waitersAfterFirstAnswer(waiters: Iterable<Waiter>, items: readonly SnapshotItem[]): string[] {
  const listed = new Set(items.map((item) => item.username));
  const owed: string[] = [];
  for (const waiter of waiters) {
    if (waiter.claim === undefined) owed.push(waiter.workflowId);
    else if (waiter.claim.username !== null && !listed.has(waiter.claim.username)) owed.push(waiter.workflowId);
  }
  return owed;
}
