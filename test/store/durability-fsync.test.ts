import { rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { enableNodeFsync, FSYNC_START_PARAMS } from '../../src/store/pglite-fsync.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

describe('PgliteDatabase fsync option', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const open = async (fsync: boolean) => {
    const dataDir = migratedPgliteDir('foresight-fsync-');
    dirs.push(dataDir);
    return PgliteDatabase.open({ dataDir, fsync });
  };

  it('runs PostgreSQL with fsync off by default, as PGlite ships it', async () => {
    const database = await open(false);
    try {
      expect(await database.query('SHOW fsync')).toEqual([{ fsync: 'off' }]);
    } finally {
      await database.close();
    }
  });

  it('with fsync, runs PostgreSQL with fsync on and syncs the WAL file once per commit', async () => {
    // PgliteDatabase.open({ fsync: true }) is these steps plus a start-up check;
    // test/store/durability-crash.test.ts runs the server through it.
    const dataDir = migratedPgliteDir('foresight-fsync-');
    dirs.push(dataDir);
    const pglite = await PGlite.create(dataDir, { startParams: [...FSYNC_START_PARAMS] });
    try {
      const { calls } = enableNodeFsync(pglite);
      expect((await pglite.query('SHOW fsync')).rows).toEqual([{ fsync: 'on' }]);
      expect((await pglite.query('SHOW wal_sync_method')).rows).toEqual([
        { wal_sync_method: 'fsync' },
      ]);
      await pglite.exec('CREATE TABLE probe (n int)');
      const before = calls();
      for (let n = 0; n < 5; n++) await pglite.query('INSERT INTO probe VALUES ($1)', [n]);
      // A read commits nothing and syncs nothing.
      await pglite.query('SELECT count(*) FROM probe');
      expect(calls() - before).toBe(5);
    } finally {
      await pglite.close();
    }
  });
});
