import { type Clock, systemClock } from '../clock.js';
import type { Database, StoreLogger } from './database.js';
import { silentLogger } from './database.js';
import { migrate } from './migrate.js';
import type { PgliteDatabaseOptions } from './pglite-database.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** PGlite data directory, created when missing. Default `.foresight/data`. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema for every table, created when missing. Default: the server's search_path. */
  schema?: string;
  /** PGlite only: fsync every commit (docs/durability.md). Default false. */
  pgliteFsync?: boolean;
  /** PGlite only: PostgreSQL's shared_buffers, MiB (pglite-defaults.ts). Default 16. */
  pgliteSharedBuffersMb?: number;
  /**
   * PGlite only: run it on a worker thread (pglite-worker-database.ts), so its
   * statements never hold this thread. Default false: in this thread, which opens
   * faster (about a quarter of a second) and needs no second thread.
   */
  pgliteWorker?: boolean;
  /** Where migrations and driver notices go. Default: silent. */
  logger?: StoreLogger;
  /**
   * Where statements read the current time (validity, supersession, job leases, ...),
   * instead of the database's `now()`. Default: the system clock.
   */
  clock?: Clock;
}

export const DEFAULT_DATA_DIR = '.foresight/data';

/**
 * Opens the store: PostgreSQL when `databaseUrl` is given, else PGlite on disk in
 * `dataDir`. Pending migrations are applied before it resolves.
 *
 * @example
 * const store = await openStore({ dataDir: '.foresight/data' });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? silentLogger;
  // Each driver is loaded only when used: an embedded server never loads node-postgres,
  // a PostgreSQL one never loads PGlite's WebAssembly bundle.
  const database: Database = options.databaseUrl
    ? await (await import('./postgres-database.js')).PostgresDatabase.open({
        databaseUrl: options.databaseUrl,
        ...(options.schema ? { schema: options.schema } : {}),
        logger,
      })
    : await openPglite({
        dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
        logger,
        ...(options.pgliteFsync ? { fsync: true } : {}),
        ...(options.pgliteSharedBuffersMb !== undefined
          ? { sharedBuffersMb: options.pgliteSharedBuffersMb }
          : {}),
        worker: options.pgliteWorker ?? false,
      });
  try {
    await migrate(database, { logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = new SqlStore(database, logger, options.clock ?? systemClock);
  try {
    await store.followReplicas();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openPglite(options: PgliteDatabaseOptions & { worker: boolean }): Promise<Database> {
  const { worker, ...open } = options;
  return worker
    ? (await import('./pglite-worker-database.js')).PgliteWorkerDatabase.open(open)
    : (await import('./pglite-database.js')).PgliteDatabase.open(open);
}
