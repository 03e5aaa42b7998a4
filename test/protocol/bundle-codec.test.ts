import { describe, expect, it } from 'vitest';
import { ContextBundleProto } from '../../src/gen/synap/v1/synap.js';
import {
  contextBundleFromJson,
  contextBundleFromProto,
  contextBundleToJson,
  contextBundleToProto,
} from '../../src/protocol/bundle-codec.js';
import type { ContextBundle } from '../../src/protocol/context-bundle.js';

const bundle: ContextBundle = {
  bundleId: 'b-1',
  decisionId: 'd-1',
  itemsByType: {
    preferences: [
      {
        itemId: 'm-1',
        content: 'Prefers aisle seats',
        contextType: 'preferences',
        source: 'memories',
        similarityScore: 0.5,
        relevanceScore: 0.75,
        confidence: 0.9,
        scope: 'user',
        entityId: '',
        createdAt: '2026-01-01T00:00:00.000Z',
        temporalCategory: 'perpetual',
        temporalConfidence: 0.9,
      },
    ],
    temporal_events: [
      {
        itemId: 'm-2',
        content: 'Conference in Lisbon',
        contextType: 'temporal_events',
        source: 'memories',
        similarityScore: 0.25,
        relevanceScore: 0.5,
        confidence: 1,
        scope: 'user',
        entityId: 'lisbon',
        createdAt: '2026-01-01T00:00:00.000Z',
        eventDate: '2026-03-01T00:00:00.000Z',
        temporalCategory: 'temporal_fact',
        temporalConfidence: 1,
      },
    ],
  },
  totalTokens: 10,
  tokenBudget: 2000,
  budgetExceeded: false,
  retrievalMode: 'fast',
  sourcesQueried: ['memories', 'messages'],
  degradationLevel: 'none',
  warnings: [],
  createdAt: '2026-01-02T00:00:00.000Z',
  retrievalTimeMs: 3,
  cacheHit: false,
  searchQueries: ['Lisbon'],
  anticipationUserId: 'user-1',
  anticipationCustomerId: '',
  anticipationConversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
  searchKeywords: ['lisbon'],
  bundleType: 'anticipation',
  conversationContext: {
    currentStateJson: '{"last_event_type":"tool_call"}',
    keyExtractionsJson: '',
    recentTurns: [{ role: 'user', content: 'hi', timestamp: '2026-01-01T00:00:00.000Z' }],
    conversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
  },
  bundleConfidence: 0.6,
  ttlHintSeconds: 300,
  inReplyToEventId: 'evt-1',
};

describe('contextBundleToJson', () => {
  it('writes snake_case and round-trips through contextBundleFromJson', () => {
    const json = contextBundleToJson(bundle);
    expect(json.in_reply_to_event_id).toBe('evt-1');
    expect(json.items_by_type.temporal_events?.[0]?.event_date).toBe('2026-03-01T00:00:00.000Z');
    expect(contextBundleFromJson(JSON.parse(JSON.stringify(json)))).toEqual(bundle);
  });

  it('omits absent optional values instead of writing null', () => {
    const text = JSON.stringify(contextBundleToJson(bundle));
    expect(text).not.toContain('null');
    expect(text).not.toContain('origin_pattern_id');
    expect(text).not.toContain('"summary"');
    expect(text).not.toContain('"valid_until"');
  });

  it('reads explicit nulls as absent', () => {
    const json = { ...contextBundleToJson(bundle), origin_pattern_id: null, warnings: null };
    const read = contextBundleFromJson(json);
    expect(read.originPatternId).toBeUndefined();
    expect(read.warnings).toEqual([]);
  });

  it('refuses a score outside 0..1, naming the path', () => {
    const json = contextBundleToJson(bundle);
    expect(() => contextBundleFromJson({ ...json, bundle_confidence: 1.5 })).toThrow(
      /bundle_confidence/,
    );
  });
});

describe('contextBundleToProto', () => {
  it('fills every proto field, with field 100 and empty strings for absent values', () => {
    const proto = contextBundleToProto(bundle);
    const decoded = ContextBundleProto.decode(ContextBundleProto.encode(proto).finish());
    expect(decoded.inReplyToEventId).toBe('evt-1');
    expect(decoded.itemsByType.preferences?.items[0]?.content).toBe('Prefers aisle seats');
    expect(decoded.itemsByType.temporal_events?.items[0]?.eventDate).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(decoded.conversationContext?.recentTurns).toHaveLength(1);
    expect(decoded.originPatternId).toBe('');
    expect(Object.keys(decoded.itemsByType).sort()).toEqual(['preferences', 'temporal_events']);
  });
});

describe('contextBundleFromProto', () => {
  it('round-trips through contextBundleToProto, reading empty strings as absent', () => {
    const proto = contextBundleToProto({ ...bundle, originPatternId: undefined });
    expect(proto.originPatternId).toBe('');
    expect(contextBundleFromProto(proto)).toEqual({ ...bundle, originPatternId: undefined });
    const read = contextBundleFromProto(proto);
    expect('originPatternId' in read).toBe(false);
    expect('validUntil' in (read.itemsByType.preferences?.[0] ?? {})).toBe(false);
  });

  it('reads a decoded message (float32 scores stay within 0..1)', () => {
    const wire = ContextBundleProto.encode(contextBundleToProto(bundle)).finish();
    const read = contextBundleFromProto(ContextBundleProto.decode(wire));
    expect(read.inReplyToEventId).toBe('evt-1');
    expect(read.bundleConfidence).toBeCloseTo(0.6, 5);
    expect(read.itemsByType.temporal_events?.[0]?.temporalCategory).toBe('temporal_fact');
  });

  it('leaves out an unknown item type and refuses an unknown bundle type, naming the path', () => {
    const proto = contextBundleToProto(bundle);
    const extra = { ...proto, itemsByType: { ...proto.itemsByType, moods: { items: [] } } };
    expect(Object.keys(contextBundleFromProto(extra).itemsByType).sort()).toEqual([
      'preferences',
      'temporal_events',
    ]);
    expect(() => contextBundleFromProto({ ...proto, bundleType: 'mystery' })).toThrow(
      /bundle_type/,
    );
  });
});
