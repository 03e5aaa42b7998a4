import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPgliteTemplate } from './pglite-template.js';

/** Enough room for every worker's PGlite stores (about 40 MB each) at once, and more. */
const MIN_MEMORY_TMP_BYTES = 4 * 1024 ** 3;
/** statfs(2)'s f_type of a tmpfs. */
const TMPFS_MAGIC = 0x01021994;

/**
 * Runs once before any test file: moves the run's temp files to memory where the
 * machine has room, and migrates one PGlite store for `migratedPgliteDir()` to copy.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = runTmpRoot();
  // Workers and the processes they spawn inherit it (os.tmpdir() reads TMPDIR each call).
  // Every store, spool and scratch dir of the suite lives there: on this project's
  // 2-core machines, writing PGlite's 40 MB of fresh files to the disk cost more system
  // time than anything the tests do with them, and a test's claims do not depend on the
  // medium (a SIGKILLed process's writes survive in tmpfs as in the page cache).
  process.env.TMPDIR = root;
  const template = mkdtempSync(join(root, 'foresight-template-'));
  await createPgliteTemplate(template);
  project.provide('pgliteTemplate', template);
  return () => rmSync(root, { recursive: true, force: true });
}

/** A dir in /dev/shm when it is a writable tmpfs with room to spare (Docker's default 64 MB is not), else in the usual temp dir. */
function runTmpRoot(): string {
  try {
    const stats = statfsSync('/dev/shm');
    if (stats.type === TMPFS_MAGIC && stats.bavail * stats.bsize >= MIN_MEMORY_TMP_BYTES) {
      return mkdtempSync('/dev/shm/foresight-run-');
    }
  } catch {
    // No /dev/shm (macOS), or not writable: the disk it is.
  }
  return mkdtempSync(join(tmpdir(), 'foresight-run-'));
}
