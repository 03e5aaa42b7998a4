import { describe, expect, it } from 'vitest';
import { StreamEvent, StreamResponse } from '../../src/gen/synap/v1/synap.js';
import { fieldNumbers, float32, mapEntries, one, text, walk } from '../support/wire-walk.js';

// Field numbers below are typed in from shared/spec/wire.md, not read from synap.proto:
// a renumbered field in the .proto makes these expectations fail.
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('StreamEvent encoding', () => {
  const bytes = StreamEvent.encode({
    payload: {
      $case: 'conversationEvent',
      value: {
        eventType: 'tool_call',
        conversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
        userId: 'user-1',
        role: 'assistant',
        content: 'calling book_flight',
        customerId: 'acme',
        sessionId: 'session-1',
        metadata: { event_id: 'evt-1' },
        timestampMs: 1_763_900_000_123,
        toolName: 'book_flight',
        toolArgsJson: '{"destination":"Lisbon"}',
        searchQueries: ['seat preference'],
        contextTypes: ['preferences'],
      },
    },
  }).finish();

  it('puts a tool_call ConversationEvent in field 1 with the numbers of wire.md', () => {
    const event = walk(bytes);
    expect(fieldNumbers(event)).toEqual([1]);
    const conversation = walk(one(event, 1).value as Uint8Array);
    expect(fieldNumbers(conversation)).toEqual(range(1, 13));
    expect(text(one(conversation, 1))).toBe('tool_call');
    expect(text(one(conversation, 2))).toBe('6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11');
    expect(text(one(conversation, 3))).toBe('user-1');
    expect(text(one(conversation, 4))).toBe('assistant');
    expect(text(one(conversation, 5))).toBe('calling book_flight');
    expect(text(one(conversation, 6))).toBe('acme');
    expect(text(one(conversation, 7))).toBe('session-1');
    expect(text(mapEntries(conversation, 8).get('event_id') ?? one([], 0))).toBe('evt-1');
    expect(one(conversation, 9)).toMatchObject({ wireType: 0, value: 1_763_900_000_123n });
    expect(text(one(conversation, 10))).toBe('book_flight');
    expect(JSON.parse(text(one(conversation, 11)))).toEqual({ destination: 'Lisbon' });
    expect(text(one(conversation, 12))).toBe('seat preference');
    expect(text(one(conversation, 13))).toBe('preferences');
  });

  it('puts a heartbeat ping in field 2 with timestamp_ms in field 1', () => {
    const ping = walk(
      StreamEvent.encode({
        payload: { $case: 'heartbeatPing', value: { timestampMs: 42 } },
      }).finish(),
    );
    expect(fieldNumbers(ping)).toEqual([2]);
    expect(walk(one(ping, 2).value as Uint8Array)).toEqual([{ field: 1, wireType: 0, value: 42n }]);
  });
});

describe('StreamResponse encoding', () => {
  const item = {
    itemId: 'mem-1',
    content: 'Prefers aisle seats',
    contextType: 'preferences',
    source: 'store',
    similarityScore: 0.5,
    relevanceScore: 0.75,
    confidence: 0.875,
    scope: 'user',
    entityId: 'user-1',
    createdAt: '2026-11-01T10:00:00.000Z',
    eventDate: '2026-12-01',
    validUntil: '2027-01-01T00:00:00.000Z',
    temporalCategory: 'perpetual',
    temporalConfidence: 0.25,
  };
  const bytes = StreamResponse.encode({
    payload: {
      $case: 'contextBundle',
      value: {
        bundleId: 'bundle-1',
        decisionId: 'decision-1',
        itemsByType: { preferences: { items: [item] } },
        totalTokens: 12,
        tokenBudget: 2000,
        budgetExceeded: true,
        retrievalMode: 'fast',
        sourcesQueried: ['memories'],
        degradationLevel: 'none',
        warnings: ['none'],
        createdAt: '2026-11-23T10:00:00.000Z',
        retrievalTimeMs: 3,
        cacheHit: true,
        searchQueries: ['Lisbon'],
        anticipationUserId: 'user-1',
        anticipationCustomerId: 'acme',
        anticipationConversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
        searchKeywords: ['flight'],
        bundleType: 'anticipation',
        conversationContext: {
          summary: 'Booking a trip',
          currentStateJson: '{"status":"booking"}',
          keyExtractionsJson: '{"facts":[]}',
          recentTurns: [
            { role: 'user', content: 'Book Lisbon', timestamp: '2026-11-23T09:59:00Z' },
          ],
          compactionId: 'compaction-1',
          compactedAt: '2026-11-23T09:00:00Z',
          conversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
        },
        bundleConfidence: 0.625,
        originPatternId: 'tool:book_flight',
        ttlHintSeconds: 300,
        inReplyToEventId: 'evt-1',
      },
    },
  }).finish();

  it('puts a ContextBundleProto in field 1 with fields 1..23 and the extension 100', () => {
    const response = walk(bytes);
    expect(fieldNumbers(response)).toEqual([1]);
    const bundle = walk(one(response, 1).value as Uint8Array);
    expect(fieldNumbers(bundle)).toEqual([...range(1, 23), 100]);
    expect(text(one(bundle, 1))).toBe('bundle-1');
    expect(text(one(bundle, 2))).toBe('decision-1');
    expect(one(bundle, 4)).toMatchObject({ wireType: 0, value: 12n });
    expect(one(bundle, 5)).toMatchObject({ wireType: 0, value: 2000n });
    expect(one(bundle, 6)).toMatchObject({ wireType: 0, value: 1n });
    expect(text(one(bundle, 7))).toBe('fast');
    expect(text(one(bundle, 8))).toBe('memories');
    expect(text(one(bundle, 9))).toBe('none');
    expect(text(one(bundle, 11))).toBe('2026-11-23T10:00:00.000Z');
    expect(one(bundle, 12)).toMatchObject({ wireType: 0, value: 3n });
    expect(text(one(bundle, 14))).toBe('Lisbon');
    expect(text(one(bundle, 15))).toBe('user-1');
    expect(text(one(bundle, 16))).toBe('acme');
    expect(text(one(bundle, 17))).toBe('6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11');
    expect(text(one(bundle, 18))).toBe('flight');
    expect(text(one(bundle, 19))).toBe('anticipation');
    expect(float32(one(bundle, 21))).toBe(0.625);
    expect(text(one(bundle, 22))).toBe('tool:book_flight');
    expect(one(bundle, 23)).toMatchObject({ wireType: 0, value: 300n });
    expect(text(one(bundle, 100))).toBe('evt-1');
  });

  it('encodes items_by_type as map<string, ContextItemList> of ContextItemProto 1..14', () => {
    const bundle = walk(one(walk(bytes), 1).value as Uint8Array);
    const lists = mapEntries(bundle, 3);
    expect([...lists.keys()]).toEqual(['preferences']);
    const list = walk(lists.get('preferences')?.value as Uint8Array);
    expect(fieldNumbers(list)).toEqual([1]);
    const encoded = walk(one(list, 1).value as Uint8Array);
    expect(fieldNumbers(encoded)).toEqual(range(1, 14));
    const texts = [1, 2, 3, 4, 8, 9, 10, 11, 12, 13].map((field) => text(one(encoded, field)));
    expect(texts).toEqual([
      'mem-1',
      'Prefers aisle seats',
      'preferences',
      'store',
      'user',
      'user-1',
      '2026-11-01T10:00:00.000Z',
      '2026-12-01',
      '2027-01-01T00:00:00.000Z',
      'perpetual',
    ]);
    const floats = [5, 6, 7, 14].map((field) => float32(one(encoded, field)));
    expect(floats).toEqual([0.5, 0.75, 0.875, 0.25]);
  });

  it('encodes conversation_context (20) with recent turns (4) of role/content/timestamp', () => {
    const bundle = walk(one(walk(bytes), 1).value as Uint8Array);
    const context = walk(one(bundle, 20).value as Uint8Array);
    expect(fieldNumbers(context)).toEqual(range(1, 7));
    expect(text(one(context, 1))).toBe('Booking a trip');
    expect(JSON.parse(text(one(context, 2)))).toEqual({ status: 'booking' });
    expect(JSON.parse(text(one(context, 3)))).toEqual({ facts: [] });
    expect(text(one(context, 5))).toBe('compaction-1');
    expect(text(one(context, 6))).toBe('2026-11-23T09:00:00Z');
    const turn = walk(one(context, 4).value as Uint8Array);
    expect([1, 2, 3].map((field) => text(one(turn, field)))).toEqual([
      'user',
      'Book Lisbon',
      '2026-11-23T09:59:00Z',
    ]);
  });

  it('puts a StreamSignal in field 3 with signal_type 1, reason 2, metadata 3', () => {
    const response = walk(
      StreamResponse.encode({
        payload: {
          $case: 'signal',
          value: { signalType: 'closing', reason: 'shutdown', metadata: { retry_ms: '100' } },
        },
      }).finish(),
    );
    expect(fieldNumbers(response)).toEqual([3]);
    const signal = walk(one(response, 3).value as Uint8Array);
    expect(text(one(signal, 1))).toBe('closing');
    expect(text(one(signal, 2))).toBe('shutdown');
    expect(text(mapEntries(signal, 3).get('retry_ms') ?? one([], 0))).toBe('100');
  });
});
