import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { EventWriter } from '../../src/server/events/event-writer.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { createServerLogger } from '../../src/server/server-logger.js';
import { openStore } from '../../src/store/index.js';
import type { NewEvent } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 5 (MEDIUM): an event the store could not hold (`timestamp_ms` past year
 * 9999, `tool_args_json` nested 6,000 deep) in the same client's batch made the
 * EventWriter drop the whole batch: a victim's 30 bundles were pushed, 0 of 30 stored,
 * silently. A bad row now fails alone, named in the log and counted.
 */
const YEAR_10000_MS = 253_402_300_800_000;

describe('one bad event in a batch (finding 5)', () => {
  let t: TestServer;
  let grpc: SynapServiceClient;
  const probes: ListenProbe[] = [];

  beforeAll(async () => {
    t = await startTestServer('pglite');
    grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
  });

  afterAll(async () => {
    for (const probe of probes) probe.call.end();
    grpc?.close();
    await t?.close();
  });

  const toolCall = (userId: string, conversationId: string, overrides: object = {}) => ({
    $case: 'conversationEvent' as const,
    value: {
      eventType: 'tool_call',
      conversationId,
      userId,
      role: 'assistant',
      content: '',
      customerId: '',
      sessionId: '',
      metadata: { event_id: randomUUID() },
      timestampMs: Date.now(),
      toolName: 'book_flight',
      toolArgsJson: '{"destination":"Lisbon"}',
      searchQueries: [],
      contextTypes: [],
      ...overrides,
    },
  });

  it('the victim’s 30 bundles are stored although the attacker’s events fail', async () => {
    const attacker = new ListenProbe(grpc, t.tenant.key);
    const victim = new ListenProbe(grpc, t.tenant.key);
    probes.push(attacker, victim);
    const victimConversation = randomUUID();
    const deep = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
    for (let index = 0; index < 30; index++) {
      attacker.send(
        toolCall(
          'mallory',
          randomUUID(),
          index % 2 ? { toolArgsJson: deep } : { timestampMs: YEAR_10000_MS },
        ),
      );
      victim.send(toolCall('victim', victimConversation));
    }
    for (let index = 0; index < 30; index++) await victim.nextBundle();
    const query = `conversation_id=${victimConversation}&user_id=victim&wait_ms=0`;
    await vi.waitFor(
      async () => {
        const next = await call(t.server.restUrl, 'GET', `/v1/bundles/next?${query}`, {
          key: t.tenant.key,
        });
        expect((next.body.bundles as unknown[]).length).toBe(30);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe('EventWriter: a row the store refuses (finding 5, at the store)', () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-attack-writer-');
    store = await openStore({ dataDir });
  });

  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const event = (userId: string, conversationId: string, content = ''): NewEvent => ({
    id: randomUUID(),
    conversationId,
    userId,
    customerId: '',
    sessionId: '',
    eventType: 'tool_call',
    role: 'assistant',
    content,
    toolName: 'book_flight',
    toolArgs: null,
    searchQueries: [],
    contextTypes: [],
    metadata: {},
    occurredAt: new Date(),
  });

  it('fails alone, named in the log and counted; the rest of its batch is stored', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createServerLogger('error', {
      write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const metrics = new ServerMetrics({ defaultMetrics: false });
    const writer = new EventWriter({ store, logger, metrics, delayMs: 60_000 });
    const conversation = randomUUID();
    // Past the edge's guards, the store still refuses text holding U+0000.
    const bad = event('mallory', randomUUID(), 'a\u0000b');
    const good = [event('victim', conversation), event('victim', conversation)];
    const writes = [bad, ...good].map((row) =>
      writer.write('tenant', {
        event: row,
        bundle: {
          id: randomUUID(),
          conversationId: row.conversationId,
          userId: row.userId,
          customerId: '',
          inReplyToEventId: row.id,
          bundleType: 'anticipation',
          payload: {},
          retrievalMs: 1,
        },
      }),
    );
    void writer.flush();
    await expect(writes[0]).rejects.toThrow();
    await expect(Promise.all(writes.slice(1))).resolves.toBeDefined();
    const stored = await store.listRecentBundles('tenant', {
      conversationId: conversation,
      limit: 10,
    });
    expect(stored.map((item) => item.bundle.inReplyToEventId).sort()).toEqual(
      good.map((row) => row.id).sort(),
    );
    expect(stored.every((item) => item.event?.eventType === 'tool_call')).toBe(true);
    const failure = lines.find((line) => line.msg === 'event row not stored');
    expect(failure?.eventId).toBe(bad.id);
    expect(JSON.stringify(failure)).not.toContain('a\\u0000b');
    expect((await metrics.eventRowsFailed.get()).values[0]?.value).toBe(1);
  });
});
