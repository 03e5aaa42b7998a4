import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from './store-backends.js';

describe.each([
  [
    'pglite',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'foresight-background-'));
      const database = await PgliteDatabase.open({ dataDir });
      return { database, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = uniqueSchema();
      // One connection: the gate decides every turn, as PGlite's one backend does.
      const database = await PostgresDatabase.open({
        databaseUrl: TEST_DATABASE_URL,
        schema,
        maxConnections: 1,
      });
      return { database, cleanup: () => dropSchema(schema) };
    },
  ],
] as const)('Database.background on %s', (_name, open) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ database, cleanup } = await open());
  });
  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  it('serves a statement sent after a queue of background work before that work', async () => {
    const background = database.background();
    const finished: string[] = [];
    const note = (name: string) => (rows: unknown) => {
      finished.push(name);
      return rows;
    };
    const work = Array.from({ length: 5 }, (_, index) =>
      background.query('SELECT $1::int AS n', [index]).then(note(`background ${index}`)),
    );
    const request = database.query('SELECT 1 AS one').then(note('request'));
    const [rows] = await Promise.all([request, ...work]);
    expect(rows).toEqual([{ one: 1 }]);
    // The first background statement may already be running; the request goes next.
    expect(finished.indexOf('request')).toBeLessThanOrEqual(1);
    expect(finished.filter((name) => name.startsWith('background'))).toHaveLength(5);
  });

  it('is the same database: what one view writes in a transaction the other reads', async () => {
    const background = database.background();
    expect(background.background()).toBe(background);
    await database.exec('CREATE TABLE IF NOT EXISTS shared_rows (n int)');
    await background.transaction(async (transaction) => {
      await transaction.query('INSERT INTO shared_rows VALUES ($1)', [7]);
    });
    expect(await database.query('SELECT n FROM shared_rows')).toEqual([{ n: 7 }]);
    expect(background.backend).toBe(database.backend);
  });
});
