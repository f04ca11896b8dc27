// The simulator's public API: start it in-process (tests) or run main.ts (standalone), drive
// it through the model methods or the /__sim/ control routes, and share its types.
export {
  WECHAT_SIMULATOR_MODEL_METHODS,
  startWeChatSimulator,
  type WeChatSimulator,
  type WeChatSimulatorModel,
  type WeChatSimulatorOptions,
} from './wechat-simulator';
export { SimulatorState, type LinkRequest, type ScriptPlacement, type SimulatorStateOptions } from './simulator-state';
export { SimulatorError, isSimulatorError } from './simulator-error';
export { maskAccessToken } from './call-log';
export { defaultUsername } from './mini-programs';
export { generateAccessToken } from './account-registry';
export { WECHAT_ERRMSG, errmsgFor } from './wechat-errors';
export { CONTROL_PREFIX } from './control-api';
export { WECHAT_PATHS } from './wechat-endpoints';
export * from './sim-types';
export { AUTO_CONFIRM_SCRIPT } from './link-script';
export { ADMIN_PATH } from './wechat-simulator';
export { CHAOS_CONTROL_PATH, ChaosKind, type ChaosConfig, type ChaosStatus } from './chaos';
export * from './token-types';
export { TOKEN_PATHS, SECRET_BODY_FIELDS } from './token-endpoints';
export { type LinkQuotaOptions, type RandomAdmins } from './link-quotas';
