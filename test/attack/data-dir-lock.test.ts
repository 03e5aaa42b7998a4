import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { type CliProcess, spawnCli } from '../support/spawn-cli.js';

/**
 * Finding 7 (MEDIUM): `foresight keys create` while the server ran printed a key the
 * server then refused (and the list later showed nothing), `inspect` said "nothing
 * stored", and a second `serve` on the same directory started. PGlite is one process
 * only: each of them now exits 1 with one line naming the directory, the pid holding
 * it and what to do, and changes nothing.
 */
const dataDir = migratedPgliteDir('foresight-attack-lock-');
let server: CliProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function refused(args: string[], pid: number): Promise<void> {
  const run = spawnCli([...args, '--data-dir', dataDir]);
  const { code } = await run.exited;
  expect(code, run.stderr()).toBe(1);
  expect(run.stdout()).toBe('');
  const lines = run.stderr().trim().split('\n');
  expect(lines, run.stderr()).toHaveLength(1);
  expect(lines[0]).toContain(dataDir);
  expect(lines[0]).toContain(`process ${pid}`);
  expect(lines[0]).toMatch(/stop that process/);
}

describe('two processes on one PGlite directory (finding 7)', () => {
  it('keys create, inspect and a second serve exit 1 naming the holder; nothing changes', async () => {
    server = spawnCli(['serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir]);
    await server.waitForLine(/^store /);
    const pid = server.child.pid as number;
    await refused(['keys', 'create', '--name', 'sneaky'], pid);
    await refused(['inspect', '--user', 'alice'], pid);
    await refused(['serve', '--port', '0', '--grpc-port', '0'], pid);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    // The directory is free again, and the refused `keys create` left no key behind.
    const listed = spawnCli(['keys', 'list', '--data-dir', dataDir]);
    expect((await listed.exited).code, listed.stderr()).toBe(0);
    expect(listed.stdout()).not.toContain('sneaky');
  }, 180_000);
});
