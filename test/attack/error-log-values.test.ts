import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerLogger } from '../../src/server/server-logger.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

/**
 * Finding 10 (LOW, latent): the server's error serializer dropped `params` but kept
 * `err.query`, and PGlite runs prepared statements as `EXECUTE name('literal', …)`: a
 * failing retrieval statement would have logged user ids and search words.
 */
const USER = 'user-orchid-4471';
const SEARCH = 'searchword-quasar-9902';
let dataDir: string;
let database: PgliteDatabase;

beforeAll(async () => {
  dataDir = migratedPgliteDir('foresight-attack-log-');
  database = await PgliteDatabase.open({ dataDir });
});

afterAll(async () => {
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a failing PGlite statement in the log (finding 10)', () => {
  it('keeps the statement’s name and none of its values', async () => {
    const failure = await database
      .queryPrepared(
        'retrieve_failing',
        'SELECT 1 / ($1::int - 1) AS x, $2::text AS u, $3::text AS q',
        [1, USER, SEARCH],
      )
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(failure).toBeInstanceOf(Error);
    // The driver's own error does carry them: what the serializer must strip.
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).toContain(SEARCH);
    const lines: string[] = [];
    const logger = createServerLogger('error', { write: (line: string) => lines.push(line) });
    logger.error({ err: failure }, 'anticipation source failed');
    const text = lines.join('\n');
    expect(text).toContain('anticipation source failed');
    expect(text).toContain('retrieve_failing');
    expect(text).not.toContain(USER);
    expect(text).not.toContain(SEARCH);
  });
});
