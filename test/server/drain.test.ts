import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../../src/server/create-server.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { recordBurst, storedContents } from '../support/record-burst.js';
import { spawnCli } from '../support/spawn-cli.js';

const KEY = 'fsk_drainkey0001_abcdefghijklmnopqrstuvwxyz012345';

describe('foresight serve drain on SIGTERM', () => {
  const dataDir = migratedPgliteDir('foresight-drain-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores every acknowledged message of a burst cut by SIGTERM, refuses the rest cleanly, exits 0', async () => {
    const cli = spawnCli(
      ['serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir, '--api-key', KEY],
      { FORESIGHT_DRAIN_TIMEOUT_MS: '5000' },
    );
    let signalled = false;
    let acknowledgedAtSignal = 0;
    try {
      const restUrl = (await cli.waitForLine(/^REST\s+(http:\/\/\S+)$/, 45_000))[1] as string;
      const { conversationId, outcomes } = await recordBurst({
        restUrl,
        key: KEY,
        workers: 16,
        stopWhen: (so) => {
          const acknowledged = so.filter((outcome) => outcome.kind === 'acknowledged').length;
          if (!signalled && acknowledged >= 60) {
            signalled = true;
            acknowledgedAtSignal = acknowledged;
            cli.child.kill('SIGTERM');
          }
          // Safety net: the workers stop on a transport error; this bounds a server that never goes.
          return so.length > 5000;
        },
      });
      const exit = await cli.exited;
      expect(exit.code).toBe(0);

      const acknowledged = outcomes.filter((outcome) => outcome.kind === 'acknowledged');
      const refused = outcomes.filter((outcome) => outcome.kind === 'refused');
      const cut = outcomes.filter((outcome) => outcome.kind === 'transport');
      // The signal landed mid-burst: some answers came after it, and the server went away.
      expect(acknowledgedAtSignal).toBeGreaterThanOrEqual(60);
      expect(cut.length + refused.length).toBeGreaterThan(0);
      // The requests in flight when the signal came (16 workers) were answered, not cut.
      expect(acknowledged.length).toBeGreaterThan(acknowledgedAtSignal);
      // A refusal while draining is a clean 503, never a 500 or a half-written answer.
      for (const outcome of refused) expect(outcome.status).toBe(503);

      const stored = await storedContents(dataDir, DEFAULT_CLIENT_ID, conversationId);
      for (const outcome of acknowledged) {
        expect(stored.get(outcome.messageId), `acknowledged ${outcome.content}`).toBe(
          outcome.content,
        );
      }
      // Nothing stored that no client sent (the count of stored ≥ acknowledged is the point above).
      const sent = new Set(outcomes.map((outcome) => outcome.content));
      for (const content of stored.values()) expect(sent.has(content)).toBe(true);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 60_000);
});
