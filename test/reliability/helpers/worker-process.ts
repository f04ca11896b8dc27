/**
 * The worker as operators run it, started by local/worker-process.ts (the one helper of the
 * tests, the reliability scenarios and the bench). Scenarios kill it with SIGKILL (no shutdown of
 * any kind) and start it again; a stop gives running activities 2 s.
 */
import { startWorkerProcess as start, type WorkerProcess } from '../../../local/worker-process';
import { TEST_POLICY_ENV } from '../../helpers/test-policy';
import { testNamespace } from '../../helpers/test-namespace';

export type { WorkerProcess };

/** Starts a worker process in the suite's namespace with the test policy and `env`; `ready()` asks its `/readyz`. */
export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  return start({ WXAMP_SHUTDOWN_GRACE: '2s', TEMPORAL_NAMESPACE: testNamespace(), ...TEST_POLICY_ENV, ...env }, { keepChars: 64_000 });
}
