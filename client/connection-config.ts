/** Moved to common/connection/ (the worker reads it too); re-exported so that callers are unchanged. */
export * from '../common/connection/connection-config';
