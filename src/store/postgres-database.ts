import pg from 'pg';
import {
  type Database,
  type Queryable,
  type Row,
  SCHEMA_LOCK_KEY,
  type Session,
  type StoreLogger,
  silentLogger,
} from './database.js';
import { errorMessage } from './sql-errors.js';

export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database`. */
  databaseUrl: string;
  /**
   * Schema for every table, created when missing and put first on each pooled
   * connection's search_path (so test runs and tenants of a shared server can each
   * have their own). Default: the server's search_path (usually `public`).
   */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  logger?: StoreLogger;
}

/** A schema name the store accepts: lowercase, unquoted, at most 63 characters. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL through a `pg` pool; for several replicas or more data than one machine holds. */
export class PostgresDatabase implements Database {
  readonly backend = 'postgres';
  readonly vectors: boolean;
  readonly #pool: pg.Pool;
  readonly #logger: StoreLogger;
  #closed = false;

  private constructor(pool: pg.Pool, vectors: boolean, logger: StoreLogger) {
    this.#pool = pool;
    this.vectors = vectors;
    this.#logger = logger;
  }

  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const logger = options.logger ?? silentLogger;
    const schema = options.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`schema must match ${SCHEMA_NAME} (got ${JSON.stringify(schema)})`);
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      // A startup parameter rather than a SET after connect: it is in force before
      // the first query of every pooled connection, with no ordering to get wrong.
      ...(schema ? { options: `-c search_path=${schema},public` } : {}),
    });
    // Without a listener, an idle connection dropped by the server crashes the process.
    pool.on('error', (error) =>
      logger.warn({ error: error.message }, 'idle PostgreSQL connection failed'),
    );
    try {
      const vectors = await withSession(pool, logger, (session) =>
        prepare(session, schema, logger),
      );
      return new PostgresDatabase(pool, vectors, logger);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.#pool.query<Row>(sql, [...params]);
    return result.rows;
  }

  async queryPrepared(name: string, sql: string, params: readonly unknown[]): Promise<Row[]> {
    // node-postgres prepares a named statement once per pooled connection; PostgreSQL
    // plans it with its own custom-or-generic choice, and plans fast natively.
    const result = await this.#pool.query<Row>({ name, text: sql, values: [...params] });
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    // Without parameters pg uses the simple protocol, which runs several statements.
    await this.#pool.query(sql);
  }

  async transaction<T>(fn: (transaction: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      return await runTransaction(client, fn, (error) => {
        broken = true;
        this.#logger.warn(
          { error: errorMessage(error) },
          'ROLLBACK failed; dropping the connection',
        );
      });
    } finally {
      client.release(broken);
    }
  }

  session<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    return withSession(this.#pool, this.#logger, fn);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/**
 * The connection is closed afterwards rather than returned to the pool, so session
 * state (advisory locks, settings) can never leak into later work.
 */
async function withSession<T>(
  pool: pg.Pool,
  logger: StoreLogger,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn({
      ...wrapClient(client),
      transaction: (inner) =>
        runTransaction(client, inner, (error) => {
          logger.warn({ error: errorMessage(error) }, 'ROLLBACK failed in a session');
        }),
    });
  } finally {
    client.release(true);
  }
}

function wrapClient(client: pg.PoolClient): Queryable {
  return {
    query: async (sql, params = []) => (await client.query<Row>(sql, [...params])).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

async function runTransaction<T>(
  client: pg.PoolClient,
  fn: (transaction: Queryable) => Promise<T>,
  onBroken: (error: unknown) => void,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(wrapClient(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection is unusable; the caller destroys it instead of pooling it.
      onBroken(rollbackError);
    }
    throw error;
  }
}

/** Creates the schema and finds pgvector, under the schema lock (concurrent CREATEs race). */
async function prepare(
  session: Session,
  schema: string | undefined,
  logger: StoreLogger,
): Promise<boolean> {
  await session.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
  try {
    if (schema) await session.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const [row] = await session.query(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`,
    );
    if (row?.installed === true) return true;
    if (row?.available !== true) {
      logger.info({}, 'pgvector is not available on this PostgreSQL server; text search only');
      return false;
    }
    try {
      // In public, not the per-run schema: an extension lives once per database, and
      // dropping a test schema must not drop it for everyone else.
      await session.exec('CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public');
      return true;
    } catch (error) {
      logger.info(
        { error: errorMessage(error) },
        'pgvector could not be installed; text search only',
      );
      return false;
    }
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
  }
}
