import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { DEFAULT_SHARED_BUFFERS_MB } from '../../src/store/pglite-defaults.js';
import { initDataDirApart } from '../../src/store/pglite-initdb.js';
import { PgliteWorkerDatabase } from '../../src/store/pglite-worker-database.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

const made: string[] = [];
async function emptyDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'foresight-pglite-start-'));
  made.push(parent);
  const dataDir = join(parent, 'data');
  await mkdir(dataDir);
  return dataDir;
}
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('initDataDirApart', () => {
  it('makes a cluster in an empty directory that PGlite then opens', async () => {
    const dataDir = await emptyDir();
    const failures: string[] = [];
    const params = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'];
    expect(await initDataDirApart(dataDir, params, (reason) => failures.push(reason))).toBe(true);
    expect(failures).toEqual([]);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const pglite = await PGlite.create(dataDir, { startParams: params });
    try {
      expect((await pglite.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await pglite.close();
    }
  });

  it('leaves a directory with files in it to PGlite', async () => {
    const dataDir = await emptyDir();
    await writeFile(join(dataDir, 'notes.txt'), 'mine');
    const failures: string[] = [];
    expect(await initDataDirApart(dataDir, [], (reason) => failures.push(reason))).toBe(false);
    expect(await readdir(dataDir)).toEqual(['notes.txt']);
    expect(failures).toEqual([]);
  });

  it('says why when the child fails, and leaves the directory empty and nothing beside it', async () => {
    const dataDir = await emptyDir();
    const failures: string[] = [];
    const broken = ['--single', '-c', 'shared_buffers=not-a-size'];
    expect(await initDataDirApart(dataDir, broken, (reason) => failures.push(reason))).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/initdb child exited/);
    expect(await readdir(dataDir)).toEqual([]);
    expect(await readdir(join(dataDir, '..'))).toEqual(['data']);
  });
});

describe('PgliteDatabase shared_buffers', () => {
  // A start parameter, not initdb's: an existing cluster (the migrated template) shows it,
  // and no test waits for two initdbs (20 s on a busy machine).
  const sharedBuffers = async (
    options: { sharedBuffersMb?: number },
    open: typeof PgliteDatabase.open = (settings) => PgliteDatabase.open(settings),
  ) => {
    const dataDir = migratedPgliteDir('foresight-shared-buffers-');
    const database = await open({ dataDir, ...options });
    try {
      const [row] = await database.query('SHOW shared_buffers');
      return row?.shared_buffers;
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  };

  it(`runs PostgreSQL with ${DEFAULT_SHARED_BUFFERS_MB} MiB of shared buffers, or what is asked`, async () => {
    expect(await sharedBuffers({})).toBe(`${DEFAULT_SHARED_BUFFERS_MB}MB`);
    expect(await sharedBuffers({ sharedBuffersMb: 24 })).toBe('24MB');
  });

  it('passes the setting to PGlite on a worker thread too', async () => {
    const open = (settings: Parameters<typeof PgliteDatabase.open>[0]) =>
      PgliteWorkerDatabase.open(settings) as unknown as Promise<PgliteDatabase>;
    expect(await sharedBuffers({ sharedBuffersMb: 24 }, open)).toBe('24MB');
  });

  it('refuses a pool that is not a whole number of MiB', async () => {
    const dataDir = await emptyDir();
    await expect(PgliteDatabase.open({ dataDir, sharedBuffersMb: 0 })).rejects.toThrow(
      /sharedBuffersMb/,
    );
    await expect(PgliteDatabase.open({ dataDir, sharedBuffersMb: 1.5 })).rejects.toThrow(
      /sharedBuffersMb/,
    );
  });
});
