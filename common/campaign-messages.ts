/**
 * What a campaign's workflow and its activities hand each other: a pair in compact form, and how a
 * link ended. Shared so that the activities need no workflow code; workflows/campaign/
 * campaign-contract.ts re-exports them.
 */
import type { LinkOutcome } from './workflow-names';

/** A pair in the campaign's own compact form: `[officialAccountAppId, miniProgramAppId]`. */
export type PairTuple = [officialAccountAppId: string, miniProgramAppId: string];

/** What a link started by (or joined by) a campaign tells it when it ends. */
export interface LinkReport {
  workflowId: string;
  outcome: LinkOutcome | 'cancelled' | 'failed' | 'terminated';
  status: number | null;
  errcode?: number;
  errmsg?: string;
  /** ISO-8601. */
  finishedAt: string;
}
