import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreLogger } from '../../src/store/database.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';

export const TEST_DATABASE_URL =
  process.env.FORESIGHT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A logger that keeps what it was told, so tests can assert on notices. */
export class RecordingLogger implements StoreLogger {
  readonly entries: { level: 'info' | 'warn'; object: object; message: string | undefined }[] = [];

  info(object: object, message?: string): void {
    this.entries.push({ level: 'info', object, message });
  }

  warn(object: object, message?: string): void {
    this.entries.push({ level: 'warn', object, message });
  }

  /** Names of the migrations this logger saw applied. */
  applied(): string[] {
    return this.entries
      .filter((entry) => entry.message === 'migration applied')
      .map((entry) => String((entry.object as { migration?: unknown }).migration));
  }
}

/** Where one describe block keeps its data: a temp dir (PGlite) or a schema (PostgreSQL). */
export interface StoreBackend {
  name: 'pglite' | 'postgres';
  open(logger?: StoreLogger): Promise<Store>;
  /** Removes everything `open` created. */
  destroy(): Promise<void>;
}

export function pgliteBackend(): StoreBackend {
  let dataDir: string | undefined;
  return {
    name: 'pglite',
    async open(logger) {
      dataDir ??= await mkdtemp(join(tmpdir(), 'foresight-store-'));
      return openStore({ dataDir, ...(logger ? { logger } : {}) });
    },
    async destroy() {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): StoreBackend {
  const schema = uniqueSchema();
  return {
    name: 'postgres',
    open: (logger) =>
      openStore({ databaseUrl: TEST_DATABASE_URL, schema, ...(logger ? { logger } : {}) }),
    destroy: () => dropSchema(schema),
  };
}

export function uniqueSchema(): string {
  return `foresight_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Rows of a table in a schema, read beside the store (for what the Store does not expose). */
export async function countRows(schema: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM "${schema}".${table}`,
    );
    return Number(result.rows[0]?.count);
  } finally {
    await client.end();
  }
}
