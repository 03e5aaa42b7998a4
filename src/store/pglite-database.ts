import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import {
  type Database,
  type Queryable,
  type Row,
  type Session,
  type StoreLogger,
  silentLogger,
} from './database.js';
import { DEFAULT_SHARED_BUFFERS_MB } from './pglite-defaults.js';
import { enableNodeFsync, FSYNC_START_PARAMS, verifyFsync } from './pglite-fsync.js';
import { initDataDirApart } from './pglite-initdb.js';
import { sqlLiteral } from './sql-literal.js';

export interface PgliteDatabaseOptions {
  /** Folder of the database files; created when missing. */
  dataDir: string;
  logger?: StoreLogger;
  /**
   * Sync every commit to the disk (`fsync(2)`), so an acknowledged write survives a
   * power loss or kernel crash, not only a crash of this process. Costs several times
   * the write throughput (docs/durability.md). Default false: PostgreSQL runs with
   * fsync off, as PGlite ships it, and commits reach the OS page cache only.
   */
  fsync?: boolean;
  /** PostgreSQL's `shared_buffers`, MiB (pglite-defaults.ts). Default 16. */
  sharedBuffersMb?: number;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) in this process, on disk. It has one
 * backend, so every query, transaction and session shares it; PGlite queues callers.
 * One process only may open a data directory at a time.
 */
export class PgliteDatabase implements Database {
  readonly backend = 'pglite';
  readonly vectors: boolean;
  readonly #pglite: PGlite;
  /** Statements this session prepared (`queryPrepared`): PGlite has one session. */
  readonly #prepared = new Map<string, Promise<void>>();

  readonly #lock: DataDirLock;

  private constructor(pglite: PGlite, vectors: boolean, lock: DataDirLock) {
    this.#pglite = pglite;
    this.vectors = vectors;
    this.#lock = lock;
  }

  static async open(options: PgliteDatabaseOptions): Promise<PgliteDatabase> {
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    // Before PGlite touches a file: a second process must change nothing.
    const lock = await lockDataDir(dataDir);
    try {
      return await PgliteDatabase.#openLocked(dataDir, lock, options);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  static async #openLocked(
    dataDir: string,
    lock: DataDirLock,
    options: PgliteDatabaseOptions,
  ): Promise<PgliteDatabase> {
    const logger = options.logger ?? silentLogger;
    const sharedBuffersMb = options.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB;
    if (!Number.isInteger(sharedBuffersMb) || sharedBuffersMb < 1)
      throw new RangeError(
        `sharedBuffersMb: must be a whole number of MiB, at least 1, got ${sharedBuffersMb}`,
      );
    const startParams = [
      ...(options.fsync ? FSYNC_START_PARAMS : PGlite.defaultStartParams),
      '-c',
      `shared_buffers=${sharedBuffersMb}MB`,
    ];
    await initDataDirApart(dataDir, startParams, (reason) =>
      logger.info({ reason }, 'PGlite initdb in a child process failed; running it here'),
    );
    const pglite = await PGlite.create(dataDir, { extensions: { vector }, startParams });
    if (options.fsync) {
      try {
        await verifyFsync(pglite, enableNodeFsync(pglite).calls);
      } catch (error) {
        await pglite.close();
        throw error;
      }
    }
    let vectors = true;
    try {
      await pglite.exec('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (error) {
      // Text search works without it; say so once and go on.
      vectors = false;
      logger.info({ error: String(error) }, 'pgvector unavailable in PGlite; text search only');
    }
    return new PgliteDatabase(pglite, vectors, lock);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return runQuery(this.#pglite, sql, params);
  }

  async queryPrepared(name: string, sql: string, params: readonly unknown[]): Promise<Row[]> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw new TypeError(`queryPrepared: "${name}" is not a plain statement name`);
    }
    let prepared = this.#prepared.get(name);
    if (prepared === undefined) {
      // Parameter types are inferred from the statement, as a bind would infer them.
      prepared = this.#pglite.exec(`PREPARE ${name} AS ${sql}`).then(() => undefined);
      // Kept while pending, so concurrent first calls prepare once; dropped on failure.
      prepared.catch(() => this.#prepared.delete(name));
      this.#prepared.set(name, prepared);
    }
    await prepared;
    const execute = `EXECUTE ${name}(${params.map(sqlLiteral).join(', ')})`;
    // One round trip, in one implicit transaction: SET LOCAL lasts for the EXECUTE only.
    // PGlite's EXECUTE takes no bind parameters, hence the literals; and a generic plan
    // is forced because the default would plan the first five runs afresh and then
    // compare costs, where this statement's planning is the cost being saved.
    const results = await this.#pglite.exec(
      `SET LOCAL plan_cache_mode = force_generic_plan; ${execute}`,
    );
    return (results[1]?.rows ?? []) as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.#pglite.exec(sql);
  }

  transaction<T>(fn: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.#pglite.transaction((transaction) => fn(wrapTransaction(transaction)));
  }

  /** The single backend is the session: it keeps session state between calls. */
  session<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {
    try {
      if (!this.#pglite.closed) await this.#pglite.close();
    } finally {
      await this.#lock.release();
    }
  }
}

async function runQuery(
  target: PGlite | Transaction,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  const result = await target.query<Row>(sql, [...params]);
  return result.rows;
}

function wrapTransaction(transaction: Transaction): Queryable {
  return {
    query: (sql, params = []) => runQuery(transaction, sql, params),
    exec: async (sql) => {
      await transaction.exec(sql);
    },
  };
}
