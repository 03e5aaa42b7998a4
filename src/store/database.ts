/** One row as the driver returns it; `row-mapping.ts` turns it into a record. */
export type Row = Record<string, unknown>;

/** What a statement runs on: the database, a transaction, or a held connection. */
export interface Queryable {
  /** One statement with `$1`-style parameters. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements separated by `;`, without parameters (migration files). */
  exec(sql: string): Promise<void>;
}

/** A connection held for the whole callback, for session state such as advisory locks. */
export interface Session extends Queryable {
  transaction<T>(fn: (transaction: Queryable) => Promise<T>): Promise<T>;
}

/**
 * The small driver surface the store needs, so one SQL text serves PGlite and
 * PostgreSQL. Drivers return rows as the underlying client parses them (bigint may be
 * a string); the row mapping normalizes.
 */
export interface Database extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** True when the pgvector extension is installed in this database. */
  readonly vectors: boolean;
  /**
   * Runs a hot read as a prepared statement, `name` prepared once per connection: for
   * statements whose planning costs as much as their execution (retrieval: about 1 ms
   * each in PGlite). PGlite plans it once, generically, for all parameter values;
   * PostgreSQL makes its own custom-or-generic choice (and plans fast natively). A name
   * must always come with the same `sql`; its parameters are what `sqlLiteral` writes
   * (text, numbers, booleans, dates, text arrays, null).
   */
  queryPrepared(name: string, sql: string, params: readonly unknown[]): Promise<Row[]>;
  /**
   * The same database, for work nobody waits on (event and bundle rows, job bookkeeping):
   * where the driver can order statements (PGlite on a worker thread), these run only
   * when no other statement waits, so a REST write is never queued behind them. Absent:
   * the driver orders nothing, use the database itself.
   */
  readonly background?: Database;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (transaction: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one connection held throughout. */
  session<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Notices between the processes sharing this database (PostgreSQL replicas); absent
   * where one process owns the data (PGlite).
   */
  readonly notifications?: Notifications;
  close(): Promise<void>;
}

/** `NOTIFY`/`LISTEN` on topics private to this database and schema. */
export interface Notifications {
  notify(topic: string, payload: string): Promise<void>;
  /** Answers the stop function. */
  listen(topic: string, handlers: ListenerHandlers): Promise<() => Promise<void>>;
}

export interface ListenerHandlers {
  /** One notification's payload. */
  message(payload: string): void;
  /**
   * The connection was lost and is back: notices sent meanwhile are gone, so whatever
   * they would have said must be assumed.
   */
  resumed(): void;
}

/** The logger the store writes to; pino's signature, so a pino logger fits. */
export interface StoreLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

export const silentLogger: StoreLogger = {
  info() {},
  warn() {},
};

/**
 * Key of the session advisory lock held while a process changes the schema (creates
 * it, installs extensions, runs migrations), so replicas starting together take turns.
 * The bytes spell "Fore".
 */
export const SCHEMA_LOCK_KEY = 0x466f7265;
