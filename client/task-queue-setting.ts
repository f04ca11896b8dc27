/**
 * The task queue a client uses when its caller names none: `WXAMP_TASK_QUEUE` as the worker reads
 * it (trimmed; blank counts as unset), else the default both sides agree on.
 */
import { DEFAULT_TASK_QUEUE } from '../common/task-queue';

/** `WXAMP_TASK_QUEUE`, trimmed, or `'wxamp-link'` when it is unset or blank. */
export function taskQueueFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.WXAMP_TASK_QUEUE?.trim();
  return value ? value : DEFAULT_TASK_QUEUE;
}
