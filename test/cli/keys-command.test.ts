import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { spawnCli } from '../support/spawn-cli.js';

// Five CLI runs and two server starts: seconds each on an idle machine, far more under load.
describe('foresight keys', { timeout: 120_000 }, () => {
  // Migrated already: `keys create` on an empty dir is the README's line, run by
  // test/docs/readme-commands.test.ts in a fresh clone.
  const dataDir = migratedPgliteDir('foresight-keys-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a key shown once, lists it without the secret, revokes it, and the server refuses it', async () => {
    const created = spawnCli(['keys', 'create', '--name', 'ci', '--data-dir', dataDir]);
    expect((await created.exited).code).toBe(0);
    const key = created.stdout().trim();
    expect(key).toMatch(/^fsk_[a-z0-9]{12}_[A-Za-z0-9_-]{32,}$/);
    const id = key.split('_')[1] as string;

    const listed = spawnCli(['keys', 'list', '--data-dir', dataDir]);
    expect((await listed.exited).code).toBe(0);
    expect(listed.stdout()).toContain(id);
    expect(listed.stdout()).not.toContain(key.split('_').slice(2).join('_'));

    const server = spawnCli(['serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir]);
    const rest = (await server.waitForLine(/^REST\s+(http:\/\/\S+)$/))[1] as string;
    expect(
      (await fetch(`${rest}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    const revoked = spawnCli(['keys', 'revoke', id, '--data-dir', dataDir]);
    expect((await revoked.exited).code).toBe(0);
    const again = spawnCli(['serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir]);
    const rest2 = (await again.waitForLine(/^REST\s+(http:\/\/\S+)$/))[1] as string;
    expect(
      (await fetch(`${rest2}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(401);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('exits 1 when revoking an unknown key, 2 on a usage error', async () => {
    const unknown = spawnCli(['keys', 'revoke', 'nosuchkey000', '--data-dir', dataDir]);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.stderr()).toContain('no key with id');
    const usage = spawnCli(['keys', 'create', '--data-dir', dataDir]);
    expect((await usage.exited).code).toBe(2);
  });
});
