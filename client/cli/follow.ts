/**
 * Following a pair's workflow until it ends: its result is awaited (a long poll) while its state
 * is queried about once a second for the view. Ctrl-C stops following, never the workflow.
 */
import { isGrpcDeadlineError } from '@temporalio/client';
import type { LinkState } from '../../workflows/contract';
import { withDeadline, type LinkSession } from './connection-options';
import { awaitEnding, type Ending } from './ending';
import { ExitCode } from './exit-codes';
import type { Output } from './output';
import type { Pair } from './pair';
import type { WatchView } from './watch-view';

/** How often the state is queried; the terminal view's countdown ticks locally in between. */
const QUERY_EVERY_MS = 1_000;
/** A query that takes longer has no worker to answer it. */
const QUERY_DEADLINE_MS = 5_000;

/** Shows the workflow in `view` until it ends, then shows the ending and returns it. */
export async function followUntilEnd(session: LinkSession, pair: Pair, view: WatchView, output: Output): Promise<Ending> {
  const end: { ending?: Ending; error?: unknown } = {};
  const ended = awaitEnding(session, pair).then(
    (ending) => void (end.ending = ending),
    (error: unknown) => void (end.error = error ?? new Error('unknown error')),
  );
  const stopOnInterrupt = () => {
    view.stop();
    output.note(
      `wxamp: stopped watching; the workflow goes on (wxamp watch ${pair.officialAccountAppId} ${pair.miniProgramAppId}${pair.kind === 'unlink' ? ' --unlink' : ''})`,
    );
    process.exit(ExitCode.Interrupted);
  };
  process.once('SIGINT', stopOnInterrupt);
  try {
    while (end.ending === undefined && end.error === undefined) {
      await refresh(session, pair, view);
      await Promise.race([ended, pause(QUERY_EVERY_MS)]);
    }
    if (end.ending === undefined) throw end.error;
    // One last look, so that the view shows the final status before the outcome.
    await refresh(session, pair, view).catch(() => undefined);
    view.finish(end.ending);
    return end.ending;
  } catch (error) {
    view.stop();
    throw error;
  } finally {
    process.removeListener('SIGINT', stopOnInterrupt);
  }
}

async function refresh(session: LinkSession, pair: Pair, view: WatchView): Promise<void> {
  let state: LinkState;
  try {
    state = await withDeadline(session, QUERY_DEADLINE_MS, () => session.links.getState(pair.officialAccountAppId, pair.miniProgramAppId, pair.kind));
  } catch (error) {
    if (!isGrpcDeadlineError(error)) throw error;
    view.problem(`the workflow does not answer queries — is a worker running on task queue '${session.settings.taskQueue}'?`);
    return;
  }
  view.problem(null);
  view.update(state);
}

/** A pause that does not keep the process alive on its own. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
