import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { type Backend, BENCH_DATABASE_URL, dropSchema } from './bench-server.js';
import { type IngestShape, ingestBatches } from './ingest-messages.js';
import { benchUserId } from './memory-corpus.js';

export interface RawInsertOptions extends IngestShape {
  backend: Backend;
  /** Rows timed, a multiple of `batchSize`. */
  messages: number;
  /** Statements in flight at once (PGlite queues them on its one backend). */
  concurrency: number;
  warmupBatches: number;
}

export interface RawInsertOutcome {
  rows: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

/**
 * The floor batch ingest is measured against: the same rows the ingest bench sends,
 * written straight into the `messages` table of a fresh store (same migrations, so the
 * same indexes, generated tsvector and foreign key), one multi-row INSERT per batch,
 * each its own transaction, with the conversations already there. No HTTP, no
 * validation, no idempotency keys, no conversation or user bookkeeping, no extraction:
 * what the database alone costs for these rows on this machine, now.
 */
export async function measureRawInsertFloor(options: RawInsertOptions): Promise<RawInsertOutcome> {
  const unique = `floor_${process.pid}_${Date.now().toString(36)}`;
  const dataDir =
    options.backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'foresight-floor-')) : null;
  let database: Database | undefined;
  try {
    database = dataDir
      ? await PgliteDatabase.open({ dataDir })
      : await PostgresDatabase.open({ databaseUrl: BENCH_DATABASE_URL, schema: unique });
    await migrate(database);
    return await insertRows(database, options);
  } finally {
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    else await dropSchema(unique);
  }
}

async function insertRows(
  database: Database,
  options: RawInsertOptions,
): Promise<RawInsertOutcome> {
  const clientId = 'floor';
  const now = new Date();
  await database.query(`INSERT INTO clients (id, name, mode) VALUES ($1, $1, 'b2c')`, [clientId]);
  const users = Array.from({ length: options.users }, (_, user) => user);
  await database.query(
    `INSERT INTO conversations (client_id, id, user_id, created_at, updated_at)
     SELECT $1, id, user_id, $4, $4 FROM unnest($2::uuid[], $3::text[]) AS row(id, user_id)`,
    [clientId, users.map(options.conversationOf), users.map(benchUserId), now],
  );
  const batchMessages = ingestBatches(options);
  const insert = (batch: number) => {
    const rows = batchMessages(batch);
    return database.query(
      `INSERT INTO messages (client_id, conversation_id, user_id, session_id, role, content,
                             metadata, recorded_at)
       SELECT $1, c, u, c::text, r, t, m::jsonb, $7
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS row(c, u, r, t, m)`,
      [
        clientId,
        rows.map((row) => row.conversation_id),
        rows.map((row) => row.user_id),
        rows.map((row) => row.role),
        rows.map((row) => row.content),
        rows.map((row) => JSON.stringify(row.metadata)),
        now,
      ],
    );
  };
  for (let batch = 0; batch < options.warmupBatches; batch++) await insert(batch);
  const end = options.warmupBatches + options.messages / options.batchSize;
  let next = options.warmupBatches;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < end) await insert(next++);
    }),
  );
  const elapsedMs = performance.now() - started;
  return {
    rows: options.messages,
    elapsedMs,
    rowsPerSecond: options.messages / (elapsedMs / 1000),
  };
}
