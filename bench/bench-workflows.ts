/** The bench's own workflows, bundled together and run by the bench's own workers (never ours). */
export { naiveLinkMiniProgram } from './naive-workflows';
export { benchNoop } from './noop-workflow';
