import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, silentLogger } from '../../src/store/database.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { SqlStore } from '../../src/store/sql-store.js';
import type { Store } from '../../src/store/store.js';
import { bulkSeedMemories } from '../support/bulk-seed.js';
import type { TenantName } from './scenario.js';

/** The client id each scenario tenant is stored under, and its mode. */
export const TENANT_CLIENTS: Record<TenantName, { clientId: string; mode: 'b2c' | 'b2b' }> = {
  consumer: { clientId: 'anticipation-consumer', mode: 'b2c' },
  business: { clientId: 'anticipation-business', mode: 'b2b' },
  rival: { clientId: 'anticipation-rival', mode: 'b2c' },
};

const MEMORIES_PER_USER = 100;
/** The share of background memories in the B2C tenant; the rest go to the B2B one. */
const CONSUMER_SHARE = 0.8;
/** Background B2B users are spread over this many customers. */
const BACKGROUND_CUSTOMERS = 50;

export interface SeededStore {
  /** Kept by the harness to watch the job queue, which the Store interface does not show. */
  database: Database;
  store: Store;
  /** Background memories in the store. */
  seeded: number;
  fromCache: boolean;
  /** Closes the store and removes the working copy. Idempotent. */
  close(): Promise<void>;
}

/**
 * A PGlite store holding `memories` background memories of other users (the bench
 * corpus of memory-corpus.ts), 80% in the B2C tenant and 20% in the B2B one spread
 * over 50 customers. Seeding 100k rows takes a while, so the seeded data directory is
 * kept in the OS temp dir under a key of the seed size and of every source file that
 * shapes it (migrations, corpus, seeder), and each run works on a fresh copy of it.
 */
export async function openSeededStore(options: {
  memories: number;
  log: (line: string) => void;
}): Promise<SeededStore> {
  const cacheDir = join(tmpdir(), 'foresight-anticipation-cache', await cacheKey(options.memories));
  let fromCache = existsSync(join(cacheDir, 'PG_VERSION'));
  if (!fromCache) {
    options.log(`seeding ${options.memories.toLocaleString('en-US')} background memories`);
    await buildSnapshot(cacheDir, options.memories, options.log);
  } else {
    options.log(`background memories from cache ${cacheDir}`);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'foresight-anticipation-'));
  let database: Database;
  try {
    cpSync(cacheDir, workDir, { recursive: true });
    database = await PgliteDatabase.open({ dataDir: workDir, logger: silentLogger });
    await migrate(database, { logger: silentLogger });
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    fromCache = false;
    throw error;
  }
  const [row] = await database.query('SELECT count(*)::int AS count FROM memories');
  let closing: Promise<void> | undefined;
  return {
    database,
    store: new SqlStore(database, silentLogger),
    seeded: Number(row?.count ?? 0),
    fromCache,
    close() {
      closing ??= database.close().finally(() => rmSync(workDir, { recursive: true, force: true }));
      return closing;
    },
  };
}

/** Builds the seeded directory next to its final place, then renames it in (atomic). */
async function buildSnapshot(cacheDir: string, memories: number, log: (line: string) => void) {
  const buildDir = `${cacheDir}.building-${process.pid}`;
  rmSync(buildDir, { recursive: true, force: true });
  const database = await PgliteDatabase.open({ dataDir: buildDir, logger: silentLogger });
  try {
    await migrate(database, { logger: silentLogger });
    const store = new SqlStore(database, silentLogger);
    for (const { clientId, mode } of Object.values(TENANT_CLIENTS)) {
      await store.upsertClient({ id: clientId, name: clientId, mode });
    }
    const users = Math.max(1, Math.ceil(memories / MEMORIES_PER_USER));
    const consumerUsers = Math.max(1, Math.round(users * CONSUMER_SHARE));
    await bulkSeedMemories(database, TENANT_CLIENTS.consumer.clientId, {
      users: consumerUsers,
      memoriesPerUser: MEMORIES_PER_USER,
      log,
    });
    if (users > consumerUsers) {
      await bulkSeedMemories(database, TENANT_CLIENTS.business.clientId, {
        users: users - consumerUsers,
        memoriesPerUser: MEMORIES_PER_USER,
        firstUser: consumerUsers,
        log,
      });
      // Bench users have no customer; in a B2B tenant every user belongs to one.
      await database.query(
        `UPDATE memories SET customer_id = 'customer-' || (substr(user_id, 6)::int % $2)
         WHERE client_id = $1`,
        [TENANT_CLIENTS.business.clientId, BACKGROUND_CUSTOMERS],
      );
      await database.query('ANALYZE memories');
    }
  } catch (error) {
    await database.close();
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  }
  await database.close();
  if (existsSync(join(cacheDir, 'PG_VERSION'))) {
    // Another run finished the same snapshot first; it may be copying from it now.
    rmSync(buildDir, { recursive: true, force: true });
    return;
  }
  rmSync(cacheDir, { recursive: true, force: true });
  renameSync(buildDir, cacheDir);
  // Snapshots of the same size from older sources are dead weight (100 MB and more).
  const [size] = basename(cacheDir).split('-');
  for (const entry of readdirSync(dirname(cacheDir))) {
    if (
      entry.startsWith(`${size}-`) &&
      entry !== basename(cacheDir) &&
      !entry.includes('.building-')
    ) {
      rmSync(join(dirname(cacheDir), entry), { recursive: true, force: true });
    }
  }
}

/** Changes whenever the seed size or anything that shapes the seeded rows changes. */
async function cacheKey(memories: number): Promise<string> {
  const hash = createHash('sha256').update(String(memories));
  for (const migration of await loadMigrations()) hash.update(migration.sql);
  const support = join(dirname(fileURLToPath(import.meta.url)), '..', 'support');
  for (const file of ['bulk-seed.ts', 'memory-corpus.ts', 'bench-vocabulary.ts']) {
    hash.update(readFileSync(join(support, file)));
  }
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return `${memories}-${hash.digest('hex').slice(0, 12)}`;
}
