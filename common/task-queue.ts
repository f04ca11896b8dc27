/** The task queue both sides agree on: the worker polls it, the client starts workflows on it. */

/** Task queue the worker polls unless `WXAMP_TASK_QUEUE` says otherwise. */
export const DEFAULT_TASK_QUEUE = 'wxamp-link';
