import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventWriter } from '../../src/server/events/event-writer.js';
import { openStore } from '../../src/store/index.js';
import type { NewEvent } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { holdReads } from '../support/held-reads.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

function event(conversationId: string, toolName: string): NewEvent {
  return {
    id: randomUUID(),
    conversationId,
    userId: 'alice',
    customerId: '',
    sessionId: '',
    eventType: 'tool_call',
    role: 'assistant',
    content: '',
    toolName,
    toolArgs: { city: 'Lisbon' },
    searchQueries: [],
    contextTypes: [],
    metadata: {},
    occurredAt: new Date(),
  };
}

describe('EventWriter', () => {
  let dataDir: string;
  let store: Store;
  const statements: number[] = [];
  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-writer-');
    store = await openStore({ dataDir });
    const recordEvents = store.recordEvents.bind(store);
    store.recordEvents = async (clientId, batch) => {
      statements.push(batch.length);
      await recordEvents(clientId, batch);
    };
  });
  afterAll(async () => {
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const stored = async (conversationId: string) =>
    (await store.listRecentBundles('tenant-a', { conversationId, limit: 50 })).map(
      (item) => item.event?.toolName,
    );

  it('writes the events of a burst in one statement, in order, with their bundles', async () => {
    const writer = new EventWriter({ store, delayMs: 20 });
    const conversationId = randomUUID();
    statements.length = 0;
    const notices: string[] = [];
    const writes = ['a', 'b', 'c', 'd'].map((name) => {
      const row = event(conversationId, name);
      return writer.write('tenant-a', {
        event: row,
        bundle: {
          id: randomUUID(),
          conversationId,
          userId: 'alice',
          customerId: '',
          inReplyToEventId: row.id,
          bundleType: 'anticipation',
          payload: { bundle_id: name },
          retrievalMs: 1,
        },
        stored: () => notices.push(name),
      });
    });
    expect(writer.backlog).toBe(4);
    await Promise.all(writes);
    expect(statements).toEqual([4]);
    expect(notices).toEqual(['a', 'b', 'c', 'd']);
    // Newest first.
    expect(await stored(conversationId)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('writes an urgent row at once, and everything queued on flush', async () => {
    const delayMs = 60_000;
    const writer = new EventWriter({ store, delayMs });
    statements.length = 0;
    const conversationId = randomUUID();
    const started = performance.now();
    await writer.write('tenant-a', { event: event(conversationId, 'urgent') }, { urgent: true });
    // At once: not held for the batching delay.
    expect(performance.now() - started).toBeLessThan(delayMs / 10);
    const queued = writer.write('tenant-a', { event: event(conversationId, 'queued') });
    expect(writer.backlog).toBe(1);
    await writer.flush();
    await queued;
    expect(statements).toEqual([1, 1]);
    expect(writer.backlog).toBe(0);
  });

  it('counts in its backlog the rows of flushed batches until they are stored', async () => {
    const held = holdReads(store, ['recordEvents']);
    const writer = new EventWriter({ store: held.store, maxBatch: 2 });
    const conversationId = randomUUID();
    // Three batches of two: the first is being written (its statement held), two wait.
    const writes = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) =>
      writer.write('tenant-a', { event: event(conversationId, name) }),
    );
    expect(writer.backlog).toBe(6);
    held.release();
    await Promise.all(writes);
    expect(writer.backlog).toBe(0);
  });

  it('fails only the rows of the client whose write failed', async () => {
    const writer = new EventWriter({ store, delayMs: 5 });
    const conversationId = randomUUID();
    // PostgreSQL stores no NUL character in text: the statement fails.
    const bad = { ...event(conversationId, 'bad'), content: 'a\u0000b' };
    const failed = writer.write('tenant-b', { event: bad });
    const fine = writer.write('tenant-c', { event: event(conversationId, 'fine') });
    await expect(failed).rejects.toThrow();
    await expect(fine).resolves.toBeUndefined();
  });
});
