import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../../src/server/create-server.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { recordBurst, storedContents } from '../support/record-burst.js';
import { spawnCli } from '../support/spawn-cli.js';

const KEY = 'fsk_crashkey0001_abcdefghijklmnopqrstuvwxyz012345';

describe('PGlite durability to a crash of the server process', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['fsync off (the default)', {}],
    ['fsync on (FORESIGHT_PGLITE_FSYNC=1)', { FORESIGHT_PGLITE_FSYNC: '1' }],
  ])(
    'keeps every acknowledged message when foresight serve is SIGKILLed mid-burst: %s',
    async (_name, env) => {
      const dataDir = migratedPgliteDir('foresight-crash-');
      dirs.push(dataDir);
      const cli = spawnCli(
        ['serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir, '--api-key', KEY],
        env,
      );
      let killedAt = 0;
      try {
        const restUrl = (await cli.waitForLine(/^REST\s+(http:\/\/\S+)$/, 45_000))[1] as string;
        const { conversationId, outcomes } = await recordBurst({
          restUrl,
          key: KEY,
          workers: 8,
          stopWhen: (so) => {
            const acknowledged = so.filter((outcome) => outcome.kind === 'acknowledged').length;
            // Killed in the same tick the 40th acknowledgement arrived: no time to flush anything.
            if (killedAt === 0 && acknowledged >= 40) {
              killedAt = acknowledged;
              cli.child.kill('SIGKILL');
            }
            return so.length > 5000;
          },
        });
        expect((await cli.exited).signal).toBe('SIGKILL');
        expect(killedAt).toBeGreaterThanOrEqual(40);

        // Reopening runs PostgreSQL's crash recovery (WAL replay) on the data dir.
        const stored = await storedContents(dataDir, DEFAULT_CLIENT_ID, conversationId);
        const acknowledged = outcomes.filter((outcome) => outcome.kind === 'acknowledged');
        expect(acknowledged.length).toBeGreaterThanOrEqual(40);
        for (const outcome of acknowledged) {
          expect(stored.get(outcome.messageId), `acknowledged ${outcome.content}`).toBe(
            outcome.content,
          );
        }
      } finally {
        cli.child.kill('SIGKILL');
      }
    },
    60_000,
  );
});
