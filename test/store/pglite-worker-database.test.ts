import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteWorkerDatabase } from '../../src/store/pglite-worker-database.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

const root = new URL('../..', import.meta.url).pathname;

describe('PGlite on a worker thread', () => {
  let dataDir: string;
  let database: PgliteWorkerDatabase;

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-worker-');
    database = await PgliteWorkerDatabase.open({ dataDir });
    await database.exec(
      'CREATE TABLE worker_notes (id int PRIMARY KEY, at timestamptz, body jsonb, tags text[])',
    );
  });

  afterAll(async () => {
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers rows as the in-process driver does: dates, JSON and arrays as values', async () => {
    const at = new Date('2026-03-04T05:06:07.000Z');
    await database.query('INSERT INTO worker_notes VALUES ($1, $2, $3, $4)', [
      1,
      at,
      { nested: { list: [1, 'two'] } },
      ['a', 'b'],
    ]);
    const [row] = await database.query('SELECT * FROM worker_notes WHERE id = $1', [1]);
    expect(row).toEqual({ id: 1, at, body: { nested: { list: [1, 'two'] } }, tags: ['a', 'b'] });
    expect(row?.at).toBeInstanceOf(Date);
  });

  it("keeps PostgreSQL's error fields across the thread, which the store maps errors by", async () => {
    await database.query('INSERT INTO worker_notes (id) VALUES (2)');
    const error = await database.query('INSERT INTO worker_notes (id) VALUES (2)').catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'worker_notes_pkey' });
    expect(String(error.message)).toContain('duplicate key');
  });

  it('commits a transaction that resolves and rolls back one that throws, with its error', async () => {
    await database.transaction(async (transaction) => {
      await transaction.query('INSERT INTO worker_notes (id) VALUES (10)');
      await transaction.query('INSERT INTO worker_notes (id) VALUES (11)');
    });
    const thrown = new Error('caller changed its mind');
    await expect(
      database.transaction(async (transaction) => {
        await transaction.query('INSERT INTO worker_notes (id) VALUES (12)');
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    const rows = await database.query('SELECT id FROM worker_notes WHERE id >= 10 ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual([10, 11]);
  });

  it('runs statements outside a transaction only once it has ended, as PGlite queues them', async () => {
    let outsideDone = false;
    const outside = { promise: Promise.resolve() };
    await database.transaction(async (transaction) => {
      await transaction.query('INSERT INTO worker_notes (id) VALUES (20)');
      outside.promise = database.query('SELECT 1').then(() => {
        outsideDone = true;
      });
      // A round trip inside the transaction: the outside statement must still wait.
      await transaction.query('SELECT 1');
      expect(outsideDone).toBe(false);
    });
    await outside.promise;
    expect(outsideDone).toBe(true);
  });
});

describe('PGlite worker: background statements', () => {
  it('run only when no other statement waits', async () => {
    const dataDir = migratedPgliteDir('foresight-worker-order-');
    const database = await PgliteWorkerDatabase.open({ dataDir });
    try {
      const finished: string[] = [];
      const run = (name: string, target: { query: PgliteWorkerDatabase['query'] }) =>
        target.query('SELECT pg_sleep(0.02)').then(() => finished.push(name));
      // Five background statements queued first, then two a caller waits on: the
      // callers' run before every background one that had not started (at most the first
      // may have), and each kind keeps its order.
      const all = [1, 2, 3, 4, 5].map((n) => run(`background ${n}`, database.background));
      all.push(run('foreground 1', database), run('foreground 2', database));
      await Promise.all(all);
      expect(finished.slice(-4)).toEqual([
        'background 2',
        'background 3',
        'background 4',
        'background 5',
      ]);
      expect(finished.filter((name) => name.startsWith('foreground'))).toEqual([
        'foreground 1',
        'foreground 2',
      ]);
      // A background transaction commits like any other.
      await database.background.transaction(async (transaction) => {
        await transaction.query('CREATE TABLE worker_background (id int)');
        await transaction.query('INSERT INTO worker_background VALUES (1)');
      });
      expect(await database.query('SELECT id FROM worker_background')).toEqual([{ id: 1 }]);
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('PGlite worker lifetime', () => {
  it('lets a process that leaves its database open exit on its own once idle', {
    timeout: 60_000,
  }, async () => {
    const dataDir = migratedPgliteDir('foresight-worker-exit-');
    try {
      const script = `
        const { PgliteWorkerDatabase } = await import('./src/store/pglite-worker-database.ts');
        const database = await PgliteWorkerDatabase.open({ dataDir: process.argv[1] });
        const [row] = await database.query('SELECT 41 + 1 AS answer');
        console.log('answer', row.answer);
      `;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script, dataDir],
        { cwd: root },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      // A worker that kept the process alive would hang it: killed, it exits with no code.
      const hung = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      clearTimeout(hung);
      expect(out.trim()).toBe('answer 42');
      expect(code).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses statements after close with a clear error', async () => {
    const dataDir = migratedPgliteDir('foresight-worker-closed-');
    try {
      const database = await PgliteWorkerDatabase.open({ dataDir });
      await database.close();
      await expect(database.query('SELECT 1')).rejects.toThrow('the database is closed');
      await database.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
