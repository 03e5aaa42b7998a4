import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';

/**
 * Directories this process holds. Process-wide on purpose: the lock is a fact about the
 * process, and a lock file naming our own pid that is not in this set was left by an
 * earlier process that had the same pid (a container restarted after a crash).
 */
const heldHere = new Set<string>();

/** Thrown when another process holds the PGlite data directory. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  readonly code = 'data_dir_in_use';
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number, lockFile: string) {
    super(
      `the data directory ${dataDir} is in use by process ${pid}: stop that process (foresight serve or demo) and run this again, or use PostgreSQL (--database-url) to share one store between processes (if no process ${pid} runs, delete ${lockFile})`,
    );
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** A held lock; `release()` is idempotent. */
export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Takes the exclusive lock of a PGlite data directory: a file `<dataDir>.lock` beside it
 * holding this process's pid, put in place only if absent, and never seen empty
 * (`placeLockFile`). PGlite is one process
 * only, and a second one on the same files (a server, `keys create`, `inspect`) reads
 * stale pages and overwrites the first one's writes. A lock whose process is gone (a
 * crash, SIGKILL) is taken over. Throws `DataDirInUseError` naming the holder's pid.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const lockFile = `${dataDir}.lock`;
  if (heldHere.has(dataDir)) throw new DataDirInUseError(dataDir, process.pid, lockFile);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await placeLockFile(lockFile);
      heldHere.add(dataDir);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          heldHere.delete(dataDir);
          // Only our own file: a lock taken over by another process after ours went stale stays.
          if ((await holderOf(lockFile)) === process.pid) await unlink(lockFile).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(lockFile);
    if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
      throw new DataDirInUseError(dataDir, holder, lockFile);
    }
    // Stale (its process is gone, or it is unreadable): removed, and taken on the next turn.
    await unlink(lockFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  const holder = (await holderOf(lockFile)) ?? 0;
  throw new DataDirInUseError(dataDir, holder, lockFile);
}

/**
 * Puts a lock file holding this pid in place, atomically: written under a name of its
 * own, then hard-linked to `lockFile`, which fails with EEXIST when one is there. A file
 * created empty and written after (O_EXCL, then write) could be read in between as
 * holding no pid, taken for stale and removed, and two processes would both run.
 */
async function placeLockFile(lockFile: string): Promise<void> {
  const draft = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, `${process.pid}\n`, { flag: 'wx' });
  try {
    await link(draft, lockFile);
  } finally {
    await unlink(draft).catch(() => {});
  }
}

async function holderOf(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
