/** Moved to common/connection/ (the worker uses it too); re-exported so that callers are unchanged. */
export * from '../common/connection/payload-codec';
