import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/store/data-dir-lock.js';

const parent = mkdtempSync(join(tmpdir(), 'foresight-lock-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('puts the lock in place holding this pid, leaves no draft beside it, and removes it on release', async () => {
    const dataDir = join(parent, 'store-a');
    const lock = await lockDataDir(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(readdirSync(parent).filter((name) => name.startsWith('store-a'))).toEqual([
      'store-a.lock',
    ]);
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DataDirInUseError);
    await lock.release();
    expect(readdirSync(parent).filter((name) => name.startsWith('store-a'))).toEqual([]);
  });

  it('takes over a lock whose process is gone, and refuses one whose process runs', async () => {
    const dataDir = join(parent, 'store-b');
    // No process has pid 2^22 + 1 on Linux (pid_max is at most 2^22).
    writeFileSync(`${dataDir}.lock`, `${2 ** 22 + 1}\n`);
    const lock = await lockDataDir(dataDir);
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
    // pid 1 always runs.
    writeFileSync(`${dataDir}.lock`, '1\n');
    await expect(lockDataDir(dataDir)).rejects.toThrow(/in use by process 1:/);
  });
});
