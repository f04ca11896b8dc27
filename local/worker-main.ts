/**
 * `npm run worker`: starts the worker (`node dist/worker/main.js`) with the allocator that
 * docs/deployment.md asks for (local/worker-allocator.ts), which only the starter of a process can
 * set, then waits for it and exits with its code. Everything else, configuration included, is the
 * caller's environment, which wins over the allocator defaults.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { describeWorkerAllocator, workerAllocatorEnv } from './worker-allocator';
import { WORKER_MAIN } from './worker-process';

function main(): void {
  const env = { ...workerAllocatorEnv(), ...process.env };
  console.error(describeWorkerAllocator(env));
  const child = spawn(process.execPath, [WORKER_MAIN], { stdio: 'inherit', env });
  // Ctrl-C reaches the worker through the terminal's process group; a SIGTERM to us (an
  // orchestrator's stop) is passed on. Either way the worker shuts down gracefully and we wait.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (error) => {
    console.error(`the worker could not be started: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

main();
