import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  type Database,
  type Queryable,
  type Row,
  type Session,
  type StoreLogger,
  silentLogger,
} from './database.js';
import { enableNodeFsync, FSYNC_START_PARAMS, verifyFsync } from './pglite-fsync.js';

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

  private constructor(pglite: PGlite, vectors: boolean) {
    this.#pglite = pglite;
    this.vectors = vectors;
  }

  static async open(options: PgliteDatabaseOptions): Promise<PgliteDatabase> {
    const logger = options.logger ?? silentLogger;
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, {
      extensions: { vector },
      ...(options.fsync ? { startParams: [...FSYNC_START_PARAMS] } : {}),
    });
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
    return new PgliteDatabase(pglite, vectors);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return runQuery(this.#pglite, sql, params);
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
    if (!this.#pglite.closed) await this.#pglite.close();
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
