import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { PgliteWorkerDatabase } from '../../src/store/pglite-worker-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { sqlLiteral } from '../../src/store/sql-literal.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from './store-backends.js';

/** Texts that must come back as they went in, whichever way they are passed. */
const AWKWARD = [
  'O\'Brien\'s "quoted" text',
  'back\\slash \\\\ and \\x41',
  "'); DROP TABLE notes; --",
  'ünïcödé ✈ and emoji 🛫',
  '',
  '$1 $$ dollar $tag$ quoting',
];

const STATEMENT = `SELECT $1::text AS text, $2::text[] AS list, $3::float8 AS weight,
  $4::bigint AS whole, $5::boolean AS flag, $6::timestamptz AS at, $7::uuid AS id`;

describe.each([
  [
    'pglite',
    async () => {
      const dataDir = migratedPgliteDir('foresight-prepared-');
      const database = await PgliteDatabase.open({ dataDir });
      return { database, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
    },
  ],
  [
    'pglite on a worker thread',
    async () => {
      const dataDir = migratedPgliteDir('foresight-prepared-');
      const database = await PgliteWorkerDatabase.open({ dataDir });
      return { database, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = uniqueSchema();
      const database = await PostgresDatabase.open({ databaseUrl: TEST_DATABASE_URL, schema });
      return { database, cleanup: () => dropSchema(schema) };
    },
  ],
] as const)('queryPrepared on %s', (_name, open) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ database, cleanup } = await open());
    await database.exec('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await database.query('INSERT INTO notes VALUES (1, $1)', ['kept']);
  });
  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  it('answers what the same statement answers unprepared, for every awkward value', async () => {
    const at = new Date('2026-11-24T10:20:30.456Z');
    for (const text of AWKWARD) {
      const params = [text, [text, 'plain'], 0.45, 20, true, at, null];
      const prepared = await database.queryPrepared('foresight_test_echo', STATEMENT, params);
      const plain = await database.query(STATEMENT, params);
      expect(prepared).toEqual(plain);
      expect(prepared[0]).toMatchObject({ text, list: [text, 'plain'], weight: 0.45, flag: true });
    }
    // Nothing an injected text said was run.
    expect(await database.query('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
  });

  it('prepares a name once when first calls come together', async () => {
    const calls = Array.from({ length: 5 }, (_, index) =>
      database.queryPrepared('foresight_test_together', 'SELECT $1::int + 1 AS next', [index]),
    );
    expect((await Promise.all(calls)).map(([row]) => row?.next)).toEqual([1, 2, 3, 4, 5]);
  });

  it('passes an empty text array and a null', async () => {
    const [row] = await database.queryPrepared(
      'foresight_test_empty',
      'SELECT cardinality($1::text[]) AS size, $2::text IS NULL AS missing',
      [[], null],
    );
    expect(row).toEqual({ size: 0, missing: true });
  });
});

describe('sqlLiteral', () => {
  it('refuses values it cannot write exactly', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/cannot write a object/);
    expect(() => sqlLiteral([1, 2])).toThrow(/cannot write/);
  });

  it('refuses a statement name that is not a plain identifier', async () => {
    const dataDir = migratedPgliteDir('foresight-prepared-');
    const database = await PgliteDatabase.open({ dataDir });
    try {
      await expect(database.queryPrepared('x; DROP TABLE y', 'SELECT 1', [])).rejects.toThrow(
        /not a plain statement name/,
      );
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
