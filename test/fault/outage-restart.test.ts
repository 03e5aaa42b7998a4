import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import type { Backend } from '../support/test-server.js';
import { expectEachTurnOnce, scriptedTurns, sleep } from './scripted-turns.js';
import { FAULT_KEY, ServerProcess } from './server-process.js';

/**
 * A 200-turn conversation recorded through the client outbox while `foresight serve`
 * is SIGKILLed and, `OUTAGE_MS` later, started again on the same port and the same
 * data: every turn is stored once, in order. The outage defaults to 5 s to keep the
 * suite short; `FORESIGHT_FAULT_OUTAGE_MS=30000` runs the full 30 s case.
 */
const OUTAGE_MS = Number(process.env.FORESIGHT_FAULT_OUTAGE_MS ?? 5_000);
const TURNS = 200;
/** Turns recorded before the kill; the rest go on through the outage and after it. */
const BEFORE_KILL = 50;

describe.each<Backend>(['pglite', 'postgres'])('a %s server killed mid-conversation', (backend) => {
  const server = new ServerProcess(backend);
  afterAll(async () => {
    await server.dispose();
  });

  it(
    `loses and duplicates none of ${TURNS} turns over a ${OUTAGE_MS / 1000} s outage`,
    async () => {
      await server.start();
      const client = createClient({
        url: server.url,
        apiKey: FAULT_KEY,
        env: {},
        timeoutMs: 2_000,
        logger: { warn: () => undefined },
        outbox: {
          maxBatchSize: 20,
          flushIntervalMs: 20,
          baseRetryDelayMs: 50,
          maxRetryDelayMs: 500,
        },
      });
      const conversationId = randomUUID();
      const turns = scriptedTurns(conversationId, TURNS);
      // The turns after the kill are spread over the outage and a little after it.
      const paceMs = (OUTAGE_MS + 1_000) / (TURNS - BEFORE_KILL);
      let restarted: Promise<void> | undefined;
      try {
        for (const [index, turn] of turns.entries()) {
          if (index === BEFORE_KILL) {
            await server.kill();
            restarted = sleep(OUTAGE_MS).then(() => server.start());
          }
          client.outbox.enqueue(turn);
          await sleep(index < BEFORE_KILL ? 5 : paceMs);
        }
        await restarted;
        const stalled = client.outbox.stats();
        // The outage was felt: sends failed and were retried, and turns waited.
        expect(stalled.retries).toBeGreaterThan(0);
        const flushed = await client.flush({ timeoutMs: 60_000 });
        expect(flushed.undelivered).toBe(0);
        const stats = client.outbox.stats();
        expect(stats).toMatchObject({ queued: 0, failed: 0, dropped: 0, delivered: TURNS });
      } finally {
        await client.close({ timeoutMs: 1_000 });
      }
      await server.stop();
      expectEachTurnOnce(await server.storedMessages(conversationId), turns);
    },
    OUTAGE_MS + 120_000,
  );
});
