/** Finding link and unlink workflows through their search attributes (a visibility query). */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { LinkOutcome, LinkPhase, UnlinkOutcome, WorkflowType, WxLinkStatus, WxMiniProgramAppId, WxOfficialAccountAppId } from '../workflows/contract';
import { appIdSchema } from './input-schemas';
import { InputValidationError } from '../workflows/support/validate-input';

/** What {@link findPairWorkflows} looks for; every field narrows the search. */
export interface FindLinksFilter {
  officialAccountAppId?: string;
  miniProgramAppId?: string;
  /** `WxLinkStatus`: a phase (`sending`, `waiting`) or an outcome (`linked`, `refused`, `cancelled`, …). */
  status?: string;
  /** Links, unlinks, or both. @default 'link' */
  kind?: 'link' | 'unlink' | 'any';
  /** At most this many. @default 100 */
  limit?: number;
}

/** One workflow found. */
export interface FoundWorkflow {
  workflowId: string;
  runId: string;
  workflowType: string;
  officialAccountAppId: string | null;
  miniProgramAppId: string | null;
  /** The `WxLinkStatus` search attribute: phase or outcome. */
  wxLinkStatus: string | null;
  /** Temporal's execution status: `RUNNING`, `COMPLETED`, `CANCELLED`, … */
  executionStatus: string;
  startTime: string;
  closeTime: string | null;
}

/**
 * Every value `WxLinkStatus` takes: a pair workflow's phase while it runs, then its outcome
 * (`cancelled` too: the workflows mark it before Temporal ends them). Any other value finds
 * nothing, so a filter with one is a mistake worth saying.
 */
export const WX_LINK_STATUSES: readonly string[] = [
  ...new Set<string>([...Object.values(LinkPhase), ...Object.values(LinkOutcome), 'cancelled', ...Object.values(UnlinkOutcome)]),
];

/** The visibility query for a filter; values are checked first, so nothing can be injected. */
export function findLinksQuery(filter: FindLinksFilter): string {
  const kind = filter.kind ?? 'link';
  const types = kind === 'any' ? [WorkflowType.Link, WorkflowType.Unlink] : [kind === 'link' ? WorkflowType.Link : WorkflowType.Unlink];
  const clauses = [`WorkflowType IN (${types.map((t) => `'${t}'`).join(', ')})`];
  if (filter.officialAccountAppId !== undefined)
    clauses.push(`${WxOfficialAccountAppId.name} = '${checkedAppId('officialAccountAppId', filter.officialAccountAppId)}'`);
  if (filter.miniProgramAppId !== undefined) clauses.push(`${WxMiniProgramAppId.name} = '${checkedAppId('miniProgramAppId', filter.miniProgramAppId)}'`);
  if (filter.status !== undefined) {
    if (!WX_LINK_STATUSES.includes(filter.status)) throw new InputValidationError('status', `status: must be one of ${WX_LINK_STATUSES.join(', ')}`);
    clauses.push(`${WxLinkStatus.name} = '${filter.status}'`);
  }
  return clauses.join(' AND ');
}

/** Lists the link (and/or unlink) workflows that match `filter`, newest first. */
export async function findPairWorkflows(client: Client, filter: FindLinksFilter): Promise<FoundWorkflow[]> {
  const limit = filter.limit ?? 100;
  const found: FoundWorkflow[] = [];
  for await (const execution of client.workflow.list({ query: findLinksQuery(filter) })) {
    found.push(toFound(execution));
    if (found.length >= limit) break;
  }
  return found;
}

function checkedAppId(field: string, value: string): string {
  const parsed = appIdSchema.safeParse(value);
  if (!parsed.success) throw new InputValidationError(field, `${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function toFound(execution: WorkflowExecutionInfo): FoundWorkflow {
  const attributes = execution.typedSearchAttributes;
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    workflowType: execution.type,
    officialAccountAppId: attributes.get(WxOfficialAccountAppId) ?? null,
    miniProgramAppId: attributes.get(WxMiniProgramAppId) ?? null,
    wxLinkStatus: attributes.get(WxLinkStatus) ?? null,
    executionStatus: execution.status.name,
    startTime: execution.startTime.toISOString(),
    closeTime: execution.closeTime?.toISOString() ?? null,
  };
}
