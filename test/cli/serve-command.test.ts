import { rmSync } from 'node:fs';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type StreamResponse, SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { spawnCli } from '../support/spawn-cli.js';

const KEY = 'fsk_devkey000001_abcdefghijklmnopqrstuvwxyz012345';

// A cold `foresight serve` (tsx compiles the CLI, PGlite starts) takes seconds on an idle
// machine and much longer when the suite's other files load both cores.
describe('foresight serve', { timeout: 90_000 }, () => {
  const dataDir = migratedPgliteDir('foresight-cli-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints where it listens, serves, sends closing to open streams on SIGTERM, and exits 0', async () => {
    const cli = spawnCli([
      'serve',
      '--port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
      '--api-key',
      KEY,
    ]);
    try {
      const rest = (await cli.waitForLine(/^REST\s+(http:\/\/\S+)$/))[1] as string;
      const grpcTarget = (await cli.waitForLine(/^gRPC\s+(\S+)$/))[1] as string;
      expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      expect(grpcTarget).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);

      const whoami = await fetch(`${rest}/api/v1/auth/whoami`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(whoami.status).toBe(200);

      const client = new SynapServiceClient(grpcTarget, credentials.createInsecure());
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${KEY}`);
      const stream = client.listen(metadata);
      const responses: StreamResponse[] = [];
      stream.on('data', (response: StreamResponse) => responses.push(response));
      stream.on('error', () => {});
      stream.write({ payload: { $case: 'heartbeatPing', value: { timestampMs: 1 } } });
      await waitFor(() => responses.some((r) => r.payload?.$case === 'heartbeatPong'));

      cli.child.kill('SIGTERM');
      const exit = await cli.exited;
      expect(exit.code).toBe(0);
      const signals = responses.flatMap((r) =>
        r.payload?.$case === 'signal' ? [r.payload.value.signalType] : [],
      );
      expect(signals).toContain('closing');
      client.close();
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('reuses the data dir on a second start and keeps the key working', async () => {
    const cli = spawnCli([
      'serve',
      '--port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      dataDir,
      '--api-key',
      KEY,
    ]);
    try {
      const rest = (await cli.waitForLine(/^REST\s+(http:\/\/\S+)$/))[1] as string;
      const whoami = await fetch(`${rest}/api/v1/auth/whoami`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(whoami.status).toBe(200);
      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('exits 2 (bad usage) with a message naming the flag for a bad port', async () => {
    const cli = spawnCli(['serve', '--port', 'abc', '--data-dir', dataDir]);
    const exit = await cli.exited;
    expect(exit.code).toBe(2);
    expect(cli.stderr()).toContain('--port');
  });
});

function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) throw new Error('condition not met in time');
    },
    { timeout: timeoutMs, interval: 20 },
  );
}
