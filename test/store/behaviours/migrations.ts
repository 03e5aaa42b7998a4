import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { loadMigrations } from '../../../src/store/migrate.js';
import { clientId } from '../fixtures.js';
import {
  countRows,
  dropSchema,
  RecordingLogger,
  TEST_DATABASE_URL,
  uniqueSchema,
} from '../store-backends.js';
import type { SuiteContext } from '../suite-context.js';

/** The migrations this backend can apply (the pgvector one waits where pgvector is missing). */
async function applicable(vectors: boolean): Promise<string[]> {
  const migrations = await loadMigrations();
  return migrations
    .filter((migration) => vectors || !migration.requires.includes('vector'))
    .map((m) => m.name);
}

export function migrationBehaviours(context: SuiteContext): void {
  describe('migrations', () => {
    it('applies each migration on first open, none on reopen, and the data survives', async () => {
      const expected = await applicable(context.store().vectors);
      expect(expected[0]).toBe('001_initial.sql');
      expect(context.openLogger.applied()).toEqual(expected);

      const id = clientId();
      await context.store().upsertClient({ id, name: 'Kept', mode: 'b2c' });
      const logger = new RecordingLogger();
      const reopened = await context.reopen(logger);
      expect(logger.applied()).toEqual([]);
      expect((await reopened.getClient(id))?.name).toBe('Kept');
    });

    if (context.backend.name === 'pglite') {
      it('has pgvector, so the embeddings migration applies', () => {
        expect(context.store().vectors).toBe(true);
        expect(context.openLogger.applied()).toContain('002_memory_embeddings.sql');
      });
    }

    if (context.backend.name === 'postgres') {
      it('migrates a fresh schema exactly once when two stores open it at the same moment', async () => {
        const schema = uniqueSchema();
        const loggers = [new RecordingLogger(), new RecordingLogger()];
        const opened = await Promise.allSettled(
          loggers.map((logger) => openStore({ databaseUrl: TEST_DATABASE_URL, schema, logger })),
        );
        try {
          const stores = opened.map((result) => {
            if (result.status === 'rejected') throw result.reason;
            return result.value;
          });
          const [first, second] = stores;
          if (!first || !second) throw new Error('two stores expected');
          const expected = await applicable(first.vectors);
          expect(loggers.flatMap((logger) => logger.applied()).sort()).toEqual(
            [...expected].sort(),
          );
          expect(await countRows(schema, 'schema_migrations')).toBe(expected.length);

          const id = clientId();
          await first.upsertClient({ id, name: 'Shared', mode: 'b2b' });
          expect((await second.getClient(id))?.mode).toBe('b2b');
        } finally {
          await Promise.all(
            opened.map((result) => (result.status === 'fulfilled' ? result.value.close() : null)),
          );
          await dropSchema(schema);
        }
      });
    }
  });
}
