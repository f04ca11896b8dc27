/** `wxamp list`: an official account's mini programs, as WeChat's wxamplinkget shows them. */
import { Client } from '@temporalio/client';
import { msToNumber, type Duration } from '@temporalio/common';
import type { Command } from 'commander';
import { normalizeListInput } from '../../../workflows/support/validate-input';
import { withDeadline, withLinkSession, type LinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { renderItems } from '../render';
import { commandContext, withJsonFlag, type CommonFlags } from './shared';

interface ListFlags extends CommonFlags {
  timeout?: string;
}

/** The list workflow retries WeChat for this long unless `--timeout` says otherwise (its own default). */
const LIST_TIMEOUT_MS = 5 * 60_000;
/** After this long without an answer, say what is probably missing. */
const WORKER_HINT_AFTER_MS = 3_000;

/** Registers `list`. */
export function registerListCommand(program: Command): void {
  withJsonFlag(program.command('list'), "the items array, every field under WeChat's own name plus statusMeaning")
    .description("list an official account's mini programs as wxamplinkget shows them (runs the listLinkedMiniPrograms workflow)")
    .argument('<oa>', "the official account's appid")
    .option('--timeout <duration>', 'give up retrying WeChat after this long (default 5m)')
    .action(async (oa: string, flags: ListFlags, command: Command) => {
      const timeout = flags.timeout as Duration | undefined;
      normalizeListInput({ officialAccountAppId: oa, ...(timeout !== undefined && { timeout }) });
      const { settings, output } = commandContext(command);
      const items = await withLinkSession(settings, (session) => {
        const hint = setTimeout(() => void explainWait(session, oa, output), WORKER_HINT_AFTER_MS);
        // Without a worker the list would never end: wait as long as the workflow may retry, plus a margin.
        const limitMs = (timeout !== undefined ? msToNumber(timeout) : LIST_TIMEOUT_MS) + 30_000;
        return withDeadline(session, limitMs, () => session.links.list(oa, timeout !== undefined ? { timeout } : {})).finally(() => clearTimeout(hint));
      });
      if (output.json) output.printJson(items);
      else if (items.length === 0) output.print(`${oa} has no mini programs, linked or pending.`);
      else output.print(renderItems(items, (head, rows) => output.table(head, rows)));
      process.exitCode = ExitCode.Success;
    });
}

/**
 * Says on stderr why the list takes long. Lists of one account share a workflow id, so a list
 * started earlier on another task queue (where no worker runs) is joined and never answers:
 * naming that queue tells the user what to terminate.
 */
async function explainWait(session: LinkSession, oa: string, output: Output): Promise<void> {
  const workflowId = `wxamp-list/${oa}`;
  const ours = session.settings.taskQueue;
  const theirs = await new Client({ connection: session.connection, namespace: session.settings.namespace }).workflow
    .getHandle(workflowId)
    .describe()
    .then((d) => d.taskQueue)
    .catch(() => ours);
  output.note(
    theirs === ours
      ? `wxamp: still waiting for a worker on task queue '${ours}' (npm run worker; WXAMP_TASK_QUEUE / --task-queue)`
      : `wxamp: ${workflowId} is running on task queue '${theirs}', not '${ours}'; if no worker serves it, terminate it: temporal workflow terminate --workflow-id ${workflowId}`,
  );
}
