import { fsyncSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's own start parameters (0.5.x `defaultStartParams`) minus `-F`, which turns
 * fsync off. `wal_sync_method=fsync` because PGlite's `fdatasync` is a no-op stub, while
 * `fsync` reaches the file system's `stream_ops.fsync`, which `enableNodeFsync` provides.
 */
export const FSYNC_START_PARAMS: readonly string[] = [
  '--single',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'io_method=sync',
  '-c',
  'max_parallel_maintenance_workers=0',
  '-c',
  'wal_sync_method=fsync',
];

interface NodeFsStream {
  nfd?: number;
}

interface EmscriptenNodeFs {
  stream_ops: { fsync?: (stream: NodeFsStream) => number };
}

/**
 * Emscripten's NODEFS, which PGlite's on-disk store mounts, writes through to the real
 * files with `writeSync` but has no `fsync`: PostgreSQL's fsync calls succeed and do
 * nothing. This gives NODEFS one that calls `fsync(2)` on the real descriptor, so a
 * commit PostgreSQL syncs (with fsync on) is on the disk, not only in the OS page cache.
 * Call before the first write; `verifyFsync` checks it took effect.
 */
export function enableNodeFsync(pglite: PGlite): { calls: () => number } {
  const nodefs = (
    pglite.Module as unknown as { FS?: { filesystems?: { NODEFS?: EmscriptenNodeFs } } }
  ).FS?.filesystems?.NODEFS;
  if (!nodefs?.stream_ops) {
    throw new Error(
      'fsync (FORESIGHT_PGLITE_FSYNC): this PGlite build exposes no NODEFS; fsync cannot be enabled',
    );
  }
  let calls = 0;
  nodefs.stream_ops.fsync = (stream) => {
    if (stream.nfd !== undefined) fsyncSync(stream.nfd);
    calls += 1;
    return 0;
  };
  return { calls: () => calls };
}

/**
 * Proves the setting works end to end: PostgreSQL reports fsync on, and one committed
 * write reached our fsync. A PGlite upgrade that changes either fails here, loudly,
 * instead of silently acknowledging writes that are not on disk.
 */
export async function verifyFsync(pglite: PGlite, calls: () => number): Promise<void> {
  const [setting] = (await pglite.query<{ fsync: string }>('SHOW fsync')).rows;
  const before = calls();
  await pglite.exec(
    'CREATE TABLE IF NOT EXISTS foresight_fsync_probe (n int); DROP TABLE foresight_fsync_probe;',
  );
  if (setting?.fsync !== 'on' || calls() === before) {
    throw new Error(
      `fsync (FORESIGHT_PGLITE_FSYNC): PGlite did not sync a commit (fsync=${setting?.fsync ?? 'unknown'}); ` +
        'use PostgreSQL for durability to a machine crash',
    );
  }
}
