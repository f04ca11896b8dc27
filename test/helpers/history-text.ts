/** A workflow history as searchable text: payload bytes shown as the strings they hold. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** The whole history of a run, as JSON with every payload decoded to text. */
export async function historyText(client: Client, workflowId: string, runId?: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  // Not JSON.stringify(history): the message's own toJSON turns bytes into base64 before the
  // replacer sees them, and a search of the text would then never find what a payload holds.
  const plain = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), { longs: String, enums: String });
  return JSON.stringify(plain, payloadsAsText);
}

/** The text of every history (each run) of the workflows that ran on `taskQueue`. */
export async function taskQueueHistoryTexts(client: Client, taskQueue: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    texts.push(await historyText(client, execution.workflowId, execution.runId));
  }
  return texts;
}

/** JSON replacer that shows payload bytes (Buffers after their toJSON) as the text they hold. */
export function payloadsAsText(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  const maybeBuffer = value as { type?: unknown; data?: unknown } | null;
  if (maybeBuffer && maybeBuffer.type === 'Buffer' && Array.isArray(maybeBuffer.data)) {
    return Buffer.from(maybeBuffer.data as number[]).toString('utf8');
  }
  return value;
}
