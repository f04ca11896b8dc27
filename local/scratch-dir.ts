import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Linux's tmpfs for shared memory: files there never wait for a disk. */
const SHM = '/dev/shm';

/**
 * Where throw-away server databases go: `/dev/shm` when the machine has it, else the temp
 * directory. On this project's VMs every fsync to disk costs about 10 ms, so a SQLite or PostgreSQL
 * database on disk caps a whole test server at about 100 writes a second, and a test suite then
 * measures the disk. A database in shared memory still survives a restart of its server, which is
 * all the restart scenarios ask of it; it is gone at reboot, as a throw-away database should be.
 */
export function scratchParentDir(): string {
  return existsSync(SHM) ? SHM : tmpdir();
}
