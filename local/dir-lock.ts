import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link withDirLock}. */
export interface DirLockOptions {
  /**
   * A lock whose directory has not been touched for this long is taken to be left behind by a
   * process that died, and is broken. The holder touches it every {@link heartbeatMs}.
   * @default 20 minutes
   */
  staleMs?: number;
  /** How often the holder refreshes the lock's modification time. @default 30 seconds */
  heartbeatMs?: number;
  /** How often a waiting process looks at the lock again. @default 1 second */
  pollMs?: number;
  /** Called once, when this process finds the lock held and starts to wait for it. */
  onWait?: (owner: string) => void;
}

/** Who holds a lock, written inside the lock directory so a waiter can say whom it waits for. */
interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
}

const OWNER_FILE = 'owner.json';

/**
 * Runs `fn` while holding an exclusive lock shared by every process on this machine (and any
 * other machine sharing the directory).
 *
 * The lock is a directory created with `mkdir`, which is atomic on every local file system and
 * needs no native module. A lock is broken when it has gone {@link DirLockOptions.staleMs}
 * without a heartbeat, or at once when its owner was a process on this host that no longer
 * exists (a build killed with Ctrl-C should not block the next run for twenty minutes).
 * Breaking a live lock by mistake (say, containers sharing a host name but not a pid space)
 * costs only a duplicate build: the caller's work must be safe to run twice, as building into
 * a private directory and renaming into place is.
 *
 * @param lockDir the lock directory; its parent must exist
 */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, options: DirLockOptions = {}): Promise<T> {
  const { staleMs = 20 * 60_000, heartbeatMs = 30_000, pollMs = 1_000, onWait } = options;
  let announced = false;
  for (;;) {
    if (await tryAcquire(lockDir)) break;
    const owner = await readOwner(lockDir);
    if (await isStale(lockDir, owner, staleMs)) {
      // Two waiters may both judge the lock stale and both remove it; the mkdir that follows
      // still lets only one of them in, so the worst case is one extra retry.
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      announced = true;
      onWait?.(owner ? `process ${owner.pid} on ${owner.hostname}, since ${owner.since}` : 'another process');
    }
    await sleep(pollMs);
  }

  const heartbeat = setInterval(() => {
    const now = new Date();
    // A failed touch only shortens the time before others may break the lock; not worth failing for.
    utimes(lockDir, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function tryAcquire(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  await writeFile(join(lockDir, OWNER_FILE), JSON.stringify(owner));
  return true;
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(lockDir, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' && typeof parsed.since === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, since: parsed.since };
    }
  } catch {
    // Missing or half-written: the owner may be between its mkdir and its writeFile.
  }
  return undefined;
}

async function isStale(lockDir: string, owner: LockOwner | undefined, staleMs: number): Promise<boolean> {
  if (owner && owner.hostname === hostname() && !isProcessAlive(owner.pid)) return true;
  try {
    const { mtimeMs } = await stat(lockDir);
    return Date.now() - mtimeMs > staleMs;
  } catch {
    // Released between our mkdir and our stat: not stale, just free; the next mkdir will tell.
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    // Signal 0 checks for existence without sending anything.
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
