/**
 * Every workflow the worker registers. Workflow code is deterministic: no I/O, no Node built-ins;
 * WeChat is reached only through activities.
 */
import type { LinkCampaignWorkflow } from './campaign/campaign-contract';
import type { LinkMiniProgramWorkflow, ListLinkedMiniProgramsWorkflow, UnlinkMiniProgramWorkflow } from './contract';
import type { linkCampaign } from './link-campaign';
import type { linkMiniProgram } from './link-mini-program';
import type { listLinkedMiniPrograms } from './list-linked-mini-programs';
import type { unlinkMiniProgram } from './unlink-mini-program';

export { linkMiniProgram } from './link-mini-program';
export { unlinkMiniProgram } from './unlink-mini-program';
export { listLinkedMiniPrograms } from './list-linked-mini-programs';
export { watchOfficialAccount } from './watch-official-account';
export { linkCampaign } from './link-campaign';
export { deliverWebhook } from './deliver-webhook';

/** Compiles only when `Workflow` can be called as `Signature`. */
type Fits<Workflow extends Signature, Signature> = Workflow;
// The client types its handles with the contract's signatures, not with these functions (so that
// it needs no workflow code): a workflow that no longer fits its signature must not compile.
type _WorkflowsFitTheirContract = [
  Fits<typeof linkMiniProgram, LinkMiniProgramWorkflow>,
  Fits<typeof unlinkMiniProgram, UnlinkMiniProgramWorkflow>,
  Fits<typeof listLinkedMiniPrograms, ListLinkedMiniProgramsWorkflow>,
  Fits<typeof linkCampaign, LinkCampaignWorkflow>,
];
