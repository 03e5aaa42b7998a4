import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('src/gen', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'foresight-proto-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is exactly what `npm run proto` generates from proto/', () => {
    execFileSync(process.execPath, [join(root, 'scripts/generate-proto.mjs'), '--out', scratch], {
      cwd: root,
      stdio: 'pipe',
    });
    const committed = join(root, 'src/gen');
    const fresh = join(scratch, 'src/gen');
    const names = (dir: string) =>
      listFiles(dir)
        .map((file) => relative(dir, file))
        .sort();
    expect(names(fresh)).toEqual(names(committed));
    for (const name of names(fresh)) {
      const message = `src/gen/${name} is stale: run \`npm run proto\` and commit the result`;
      expect(readFileSync(join(committed, name), 'utf8'), message).toBe(
        readFileSync(join(fresh, name), 'utf8'),
      );
    }
  });
});
