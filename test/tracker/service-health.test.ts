import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ForesightClient } from '../../src/index.js';
import { createServer, type ForesightServer } from '../../src/server/create-server.js';
import { ConversationTracker } from '../../src/tracker/index.js';
import { memory } from '../support/memories.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const AWAIT_CONTEXT_MS = 50;

/** The port of a `host:port` target or an `http://host:port` URL. */
function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

describe('ConversationTracker stats().status', () => {
  let t: TestServer;
  let restarted: ForesightServer | undefined;
  let client: ForesightClient;
  beforeAll(async () => {
    t = await startTestServer('pglite');
    client = createClient({
      url: t.server.restUrl,
      grpcTarget: t.server.grpcTarget,
      apiKey: t.tenant.key,
      env: {},
      logger: { warn: () => undefined },
    });
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({ content: 'Alice always flies aisle seats', memoryType: 'preferences' }),
    ]);
    await client.instance.listen();
  });
  afterAll(async () => {
    await client?.close();
    await restarted?.close({ graceMs: 1000 });
    await t?.close();
  });

  it('turns degraded while the server is down and ok once it answers again, logging each change once', async () => {
    const warnings: string[] = [];
    const tracker = new ConversationTracker({
      client,
      identity: { threadId: `thread-${randomUUID()}`, userId: 'alice' },
      awaitContextMs: AWAIT_CONTEXT_MS,
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const turn = async (text: string, awaitContextMs = AWAIT_CONTEXT_MS) => {
      tracker.observeMessages([{ role: 'user', content: text }]);
      return tracker.contextForCall({ awaitContextMs });
    };

    // A cold server's first answer may take longer than the bound: not what this is about.
    expect((await turn('Book me a flight to Lisbon', 10_000)).anticipation).toBe('arrived');
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ status: 'ok', modelCalls: 1, contextTimeouts: 0 });

    // Stopped, its data kept, so the same server can come back on the same ports.
    const restUrl = t.server.restUrl;
    const grpcTarget = t.server.grpcTarget;
    await t.server.close({ graceMs: 1000 });
    // (How long these calls take is test/adapters/e2e/server-stopped.test.ts's business.)
    for (const text of ['And a hotel?', 'And a car?']) {
      const context = await turn(text);
      expect(context.anticipation).toBe('missed');
      // The outbox holds the turns while the server is down: a short bound will do.
      await tracker.flush({ timeoutMs: 500 });
      expect(tracker.stats().status).toBe('degraded');
    }
    const down = tracker.stats();
    expect(down.degradedReason).toBeDefined();
    expect(down.contextTimeouts).toBe(2);
    expect(warnings.filter((message) => message.includes('degraded'))).toHaveLength(1);

    restarted = await createServer({
      port: portOf(restUrl),
      grpcPort: portOf(grpcTarget),
      serverSecret: 'test-secret',
      logger: pino({ level: 'silent' }),
      ...t.storeOptions,
    });
    // The client reconnects on its own backoff; each turn records, sends and waits again.
    await expect
      .poll(
        async () => {
          await turn(`Still there? ${randomUUID()}`);
          await tracker.flush({ timeoutMs: 2000 });
          return tracker.stats().status;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe('ok');
    expect(warnings.filter((message) => message.includes('ok again'))).toHaveLength(1);
    expect(tracker.stats().failures.adapter).toBe(0);
  });
});
