import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openStore } from '../../src/store/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data dir migrated once for the whole run (test/support/global-setup.ts). */
    pgliteTemplate: string;
  }
}

/**
 * Creates a PGlite store in `dataDir` with every migration applied, and closes it. A
 * fresh PGlite store costs seconds of CPU (initdb in WebAssembly, then the migrations);
 * a copy of this one costs tens of milliseconds, and opening it applies nothing.
 */
export async function createPgliteTemplate(dataDir: string): Promise<void> {
  const store = await openStore({ dataDir });
  await store.close();
}

/**
 * A new temp dir holding a copy of the run's migrated PGlite store: what `openStore`
 * would leave in an empty dir, without paying for it again. Tests about the first open
 * itself (initdb, migrations applied, a dir created by the CLI) use an empty dir instead.
 */
export function migratedPgliteDir(prefix = 'foresight-test-'): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  try {
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return dataDir;
}
