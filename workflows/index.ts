/**
 * Every workflow the worker registers. Workflow code is deterministic: no I/O, no Node built-ins;
 * WeChat is reached only through activities.
 */
export { linkMiniProgram } from './link-mini-program';
export { unlinkMiniProgram } from './unlink-mini-program';
export { listLinkedMiniPrograms } from './list-linked-mini-programs';
export { watchOfficialAccount } from './watch-official-account';
export { linkCampaign } from './link-campaign';
export { deliverWebhook } from './deliver-webhook';
