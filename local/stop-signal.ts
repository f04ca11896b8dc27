import { constants } from 'node:os';

/**
 * Resolves with the first SIGINT or SIGTERM once `isRunning()` says the stack is up. A signal that
 * arrives while starting (a Go build can take minutes), or a second signal while stopping, exits at
 * once: `process.exit` runs the 'exit' hooks of what was started, which kill half-started servers.
 */
export function onStopSignal(isRunning: () => boolean): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      // The shell convention for "killed by a signal": 128 + its number.
      if (received || !isRunning()) process.exit(128 + constants.signals[signal]);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
