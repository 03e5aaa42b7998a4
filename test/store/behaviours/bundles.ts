import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewBundle, NewEvent } from '../../../src/store/records.js';
import { clientId } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function bundle(conversationId: string, id: string): NewBundle {
  return {
    id,
    conversationId,
    userId: 'user-1',
    customerId: '',
    inReplyToEventId: `event-${id}`,
    bundleType: 'anticipation',
    payload: { bundle_id: id, items_by_type: { facts: { items: [] } } },
    retrievalMs: 4.6,
  };
}

function event(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    conversationId: randomUUID(),
    userId: 'user-1',
    customerId: '',
    sessionId: 'session-1',
    eventType: 'tool_call',
    role: 'assistant',
    content: '',
    toolName: 'search_flights',
    toolArgs: { to: 'Tokyo', passengers: [1, 2] },
    searchQueries: ['flights to tokyo'],
    contextTypes: ['preferences'],
    metadata: { event_id: 'e-1' },
    occurredAt: new Date(),
    ...overrides,
  };
}

export function bundleBehaviours(context: SuiteContext): void {
  describe('events and bundles', () => {
    it('lists the bundles of a conversation after a cursor, oldest first', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const first = await store.saveBundle(tenant, bundle(conversationId, 'b1'));
      await store.saveBundle(tenant, bundle(randomUUID(), 'elsewhere'));
      await store.saveBundle(tenant, bundle(conversationId, 'b2'));
      await store.saveBundle(tenant, bundle(conversationId, 'b3'));
      expect(first).toMatchObject({
        clientId: tenant,
        retrievalMs: 5,
        inReplyToEventId: 'event-b1',
      });
      expect(first.payload).toEqual(bundle(conversationId, 'b1').payload);

      const filter = { conversationId, userId: 'user-1', afterSeq: first.seq, limit: 10 };
      const after = await store.listBundlesSince(tenant, filter);
      expect(after.map((record) => record.id)).toEqual(['b2', 'b3']);
      expect(after[0]?.seq).toBeGreaterThan(first.seq);
      const limited = await store.listBundlesSince(tenant, { ...filter, afterSeq: 0, limit: 2 });
      expect(limited.map((record) => record.id)).toEqual(['b1', 'b2']);
      expect(
        await store.listBundlesSince(tenant, { ...filter, userId: 'user-2', afterSeq: 0 }),
      ).toEqual([]);
    });

    it('records events and ignores a replayed event id', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const replayed = event({ conversationId, toolArgs: undefined, toolName: 'first' });
      await store.recordEvent(tenant, replayed);
      await store.recordEvent(tenant, { ...replayed, toolName: 'replayed' });
      const other = event({ conversationId });
      await store.recordEvent(tenant, other);
      // Bundles answering them show the events stored (inspection joins them).
      await store.saveBundles(tenant, [
        { ...bundle(conversationId, 'r1'), inReplyToEventId: replayed.id },
        { ...bundle(conversationId, 'r2'), inReplyToEventId: other.id },
      ]);
      const inspected = await store.listRecentBundles(tenant, { conversationId, limit: 10 });
      const events = Object.fromEntries(inspected.map((item) => [item.bundle.id, item.event]));
      expect(events).toEqual({
        r1: { eventType: 'tool_call', toolName: 'first', toolArgs: null },
        r2: { eventType: 'tool_call', toolName: 'search_flights', toolArgs: other.toolArgs },
      });
    });

    it('records events and bundles in batches, in order, skipping ids already stored', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const batch = ['a', 'b', 'c'].map((name) => event({ conversationId, toolName: name }));
      const [first] = batch as [NewEvent];
      await store.recordEvent(tenant, first);
      // The first is a replay, and the batch holds one id twice: neither fails it.
      await store.recordEvents(tenant, [...batch, { ...first, toolName: 'again' }]);
      await store.saveBundles(
        tenant,
        batch.map((item, at) => ({
          ...bundle(conversationId, `s${at}`),
          inReplyToEventId: item.id,
        })),
      );
      const saved = await store.listBundlesSince(tenant, {
        conversationId,
        userId: 'user-1',
        afterSeq: 0,
        limit: 10,
      });
      expect(saved.map((record) => record.id)).toEqual(['s0', 's1', 's2']);
      const inspected = await store.listRecentBundles(tenant, { conversationId, limit: 10 });
      expect(
        Object.fromEntries(inspected.map((item) => [item.bundle.id, item.event?.toolName])),
      ).toEqual({ s0: 'a', s1: 'b', s2: 'c' });
    });
  });
}
