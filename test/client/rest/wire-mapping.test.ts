import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../src/client/errors.js';
import {
  batchResultFromWire,
  compactedFromWire,
  compactionStatusFromWire,
  compactToWire,
  fetchResultFromWire,
  fetchToWire,
  fieldFromWire,
  ingestResultFromWire,
  ingestToWire,
  memoryItemFromWire,
  promptContextFromWire,
  recordedMessageFromWire,
  recordMessagesToWire,
  recordMessageToWire,
} from '../../../src/client/wire-mapping.js';

const conversationId = '6f1c2b9e-8d7a-4c3b-9e2f-1a0b9c8d7e6f';
const at = '2026-05-01T12:00:00.000Z';

describe('wire-mapping requests', () => {
  it('maps a record to snake_case and omits absent fields instead of sending null', () => {
    expect(
      recordMessageToWire({ conversationId, role: 'user', content: 'hi', userId: 'alice' }),
    ).toEqual({ conversation_id: conversationId, role: 'user', content: 'hi', user_id: 'alice' });
    expect(
      recordMessageToWire({
        conversationId,
        role: 'assistant',
        content: 'ok',
        userId: 'alice',
        customerId: 'acme',
        sessionId: 's1',
        metadata: { a: 1 },
        idempotencyKey: 'k1',
      }),
    ).toEqual({
      conversation_id: conversationId,
      role: 'assistant',
      content: 'ok',
      user_id: 'alice',
      customer_id: 'acme',
      session_id: 's1',
      metadata: { a: 1 },
    });
  });

  it('puts each batch row idempotencyKey into client_token', () => {
    const row = { conversationId, role: 'user' as const, content: 'hi', userId: 'alice' };
    expect(recordMessagesToWire([{ ...row, idempotencyKey: 'k1' }, row])).toEqual({
      messages: [
        {
          conversation_id: conversationId,
          role: 'user',
          content: 'hi',
          user_id: 'alice',
          client_token: 'k1',
        },
        { conversation_id: conversationId, role: 'user', content: 'hi', user_id: 'alice' },
      ],
    });
  });

  it('maps ingest turns with Date timestamps to ISO 8601', () => {
    expect(
      ingestToWire({
        conversationId: 'call-1',
        userId: 'alice',
        transcript: [
          { role: 'user', content: 'Hi', timestamp: new Date(at) },
          { role: 'assistant', content: 'Hello', timestamp: '2026-05-01T12:00:01+02:00' },
          { role: 'user', content: 'Bye' },
        ],
      }),
    ).toEqual({
      conversation_id: 'call-1',
      user_id: 'alice',
      transcript: [
        { role: 'user', content: 'Hi', timestamp: at },
        { role: 'assistant', content: 'Hello', timestamp: '2026-05-01T12:00:01+02:00' },
        { role: 'user', content: 'Bye' },
      ],
    });
    expect(ingestToWire({ conversationId: 'c', userId: 'u', transcript: 'user: hi' })).toEqual({
      conversation_id: 'c',
      user_id: 'u',
      transcript: 'user: hi',
    });
  });

  it('maps a fetch: one search query becomes a list of one', () => {
    expect(
      fetchToWire({ scope: 'user', userId: 'alice', searchQuery: 'seats', maxResults: 5 }),
    ).toEqual({
      user_id: 'alice',
      search_query: ['seats'],
      max_results: 5,
    });
    expect(
      fetchToWire({
        scope: 'conversation',
        conversationId,
        types: ['facts'],
        mode: 'accurate',
        searchQuery: ['a', 'b'],
      }),
    ).toEqual({
      conversation_id: conversationId,
      types: ['facts'],
      mode: 'accurate',
      search_query: ['a', 'b'],
    });
  });

  it('maps a compaction request with force defaulting to false', () => {
    expect(compactToWire({ conversationId })).toEqual({
      conversation_id: conversationId,
      force: false,
    });
    expect(
      compactToWire({ conversationId, strategy: 'aggressive', targetTokens: 500, force: true }),
    ).toEqual({
      conversation_id: conversationId,
      strategy: 'aggressive',
      target_tokens: 500,
      force: true,
    });
  });
});

describe('wire-mapping answers', () => {
  it('reads a recorded message with a Date', () => {
    const message = recordedMessageFromWire({
      message_id: 'm1',
      conversation_id: conversationId,
      session_id: 's1',
      recorded_at: at,
      extra: 'ignored',
    });
    expect(message).toEqual({
      messageId: 'm1',
      conversationId,
      sessionId: 's1',
      recordedAt: new Date(at),
    });
  });

  it('reads batch rows in order; a row without message_id fails, its field in camelCase', () => {
    const result = batchResultFromWire({
      total: 2,
      succeeded: 1,
      failed: 1,
      results: [
        {
          index: 0,
          status: 'success',
          message_id: 'm1',
          conversation_id: conversationId,
          session_id: 's',
          recorded_at: at,
        },
        {
          index: 1,
          status: 'failed',
          error: 'messages.1.customer_id: is required',
          code: 'invalid_input',
          field: 'messages.1.customer_id',
        },
      ],
    });
    expect(result).toEqual({
      total: 2,
      succeeded: 1,
      failed: 1,
      results: [
        { ok: true, messageId: 'm1', conversationId, sessionId: 's', recordedAt: new Date(at) },
        {
          ok: false,
          code: 'invalid_input',
          message: 'messages.1.customer_id: is required',
          field: 'customerId',
        },
      ],
    });
    expect(batchResultFromWire({ results: [{ status: 'failed' }] })).toEqual({
      total: 1,
      succeeded: 0,
      failed: 1,
      results: [{ ok: false, code: 'failed', message: 'not recorded' }],
    });
  });

  it('reads an ingest answer and refuses an unknown status', () => {
    expect(
      ingestResultFromWire({
        conversation_id: conversationId,
        ingestion_id: 'i1',
        status: 'duplicate',
        summary_status: 'already_compacted',
        turns_recorded: 4,
      }),
    ).toEqual({
      conversationId,
      externalConversationId: conversationId,
      ingestionId: 'i1',
      status: 'duplicate',
      summaryStatus: 'already_compacted',
      turnsRecorded: 4,
    });
    expect(() =>
      ingestResultFromWire({ conversation_id: 'c', ingestion_id: 'i', status: 'done' }),
    ).toThrow('unexpected answer from the service: status must be one of queued, duplicate');
  });

  it('reads fetch items into MemoryItems with Dates and type-specific fields', () => {
    const result = fetchResultFromWire(
      {
        context: {
          facts: [
            {
              id: 'f1',
              content: 'Lives in Porto',
              confidence: 0.9,
              source: 'conversation',
              extracted_at: at,
              metadata: { scope: 'user' },
              temporal_category: 'perpetual',
            },
          ],
          preferences: [
            { id: 'p1', content: 'Aisle', confidence: '0.7', category: 'travel', strength: 1.4 },
          ],
          episodes: [
            {
              id: 'e1',
              content: 'Flew',
              summary: 'Flew to Lisbon',
              occurred_at: at,
              significance: 0.5,
              participants: ['alice'],
            },
          ],
          temporal_events: [
            {
              id: 't1',
              content: 'Dentist',
              event_date: at,
              valid_until: at,
              temporal_category: 'temporal_fact',
            },
          ],
          unknown_type: [{ id: 'x' }],
        },
        ttl_seconds: 30,
      },
      'user',
    );
    expect(result.ttlSeconds).toBe(30);
    expect(result.context.emotions).toEqual([]);
    expect(result.context.facts[0]).toEqual({
      id: 'f1',
      content: 'Lives in Porto',
      confidence: 0.9,
      source: 'conversation',
      extractedAt: new Date(at),
      metadata: { scope: 'user' },
      temporalCategory: 'perpetual',
    });
    expect(result.context.preferences[0]).toMatchObject({
      confidence: 0.7,
      category: 'travel',
      strength: 1,
    });
    expect(result.context.episodes[0]).toMatchObject({
      summary: 'Flew to Lisbon',
      occurredAt: new Date(at),
      significance: 0.5,
      participants: ['alice'],
    });
    expect(result.context.temporal_events[0]).toMatchObject({
      eventDate: new Date(at),
      validUntil: new Date(at),
    });
    expect(result.conversationContext).toBeUndefined();
  });

  it('is tolerant of absent fields: empty lists, default ttl by scope, defaults for items', () => {
    expect(fetchResultFromWire({}, 'user')).toEqual({
      context: { facts: [], preferences: [], episodes: [], emotions: [], temporal_events: [] },
      ttlSeconds: 300,
    });
    expect(fetchResultFromWire({ ttl_seconds: 0 }, 'client').ttlSeconds).toBe(1800);
    const item = memoryItemFromWire({ id: 'x', content: 'c', category: null }, 'item');
    expect(item).toMatchObject({
      id: 'x',
      content: 'c',
      confidence: 0,
      source: '',
      metadata: {},
      temporalCategory: '',
    });
    expect(item.extractedAt).toBeInstanceOf(Date);
    expect('category' in item).toBe(false);
  });

  it('reads the conversation context; a top-level one wins over one inside context', () => {
    const inner = { summary: 'inner', recent_turns: [] };
    const top = {
      summary: 'top',
      current_state: { step: 2 },
      recent_turns: [{ role: 'user', content: 'hi', timestamp: at }],
    };
    expect(
      fetchResultFromWire(
        { context: { conversation_context: inner }, conversation_context: top },
        'conversation',
      ).conversationContext,
    ).toEqual({
      summary: 'top',
      currentState: { step: 2 },
      recentTurns: [{ role: 'user', content: 'hi', timestamp: new Date(at) }],
    });
    expect(
      fetchResultFromWire({ context: { conversation_context: inner } }, 'conversation')
        .conversationContext?.summary,
    ).toBe('inner');
    expect(
      fetchResultFromWire(
        { context: { conversation_context: inner }, conversation_context: null },
        'conversation',
      ).conversationContext,
    ).toBeUndefined();
  });

  it('is strict on types: a wrong type throws ServiceUnavailableError naming the path', () => {
    const cases: [() => unknown, string][] = [
      [() => fetchResultFromWire({ context: [] }, 'user'), 'context must be an object'],
      [
        () => fetchResultFromWire({ context: { facts: {} } }, 'user'),
        'context.facts must be a list',
      ],
      [
        () => fetchResultFromWire({ context: { facts: [{ id: 5 }] } }, 'user'),
        'context.facts.0.id must be a string',
      ],
      [
        () => fetchResultFromWire({ context: { episodes: [{ participants: [1] }] } }, 'user'),
        'context.episodes.0.participants must be a list of strings',
      ],
      [
        () => fetchResultFromWire({ context: { facts: [{ extracted_at: 'yesterday' }] } }, 'user'),
        'context.facts.0.extracted_at must be an ISO 8601 date',
      ],
      [
        () => recordedMessageFromWire({ conversation_id: 'c', recorded_at: at }),
        'message_id must be present',
      ],
      [() => recordedMessageFromWire('ok'), 'the body must be an object'],
      [() => promptContextFromWire({ available: 'yes' }), 'available must be a boolean'],
      [() => compactionStatusFromWire({ status: 'none' }), 'conversation_id must be present'],
    ];
    for (const [read, message] of cases) {
      expect(read).toThrow(ServiceUnavailableError);
      expect(read).toThrow(`unexpected answer from the service: ${message}`);
    }
  });

  it('reads compaction status with optional fields only when present', () => {
    expect(
      compactionStatusFromWire({
        conversation_id: conversationId,
        status: 'none',
        has_compaction: false,
      }),
    ).toEqual({
      conversationId,
      status: 'none',
    });
    expect(
      compactionStatusFromWire({
        conversation_id: conversationId,
        status: 'completed',
        compaction_id: 'c1',
        completed_at: at,
        compression_ratio: 0.4,
      }),
    ).toEqual({
      conversationId,
      status: 'completed',
      compactionId: 'c1',
      completedAt: new Date(at),
      compressionRatio: 0.4,
    });
  });

  it('reads a compacted context: lists of {content} become strings', () => {
    expect(
      compactedFromWire({
        compaction_id: 'c1',
        formatted_context: 'ctx',
        summary: 'sum',
        original_token_count: 100,
        compacted_token_count: 40,
        compression_ratio: 0.4,
        strategy_used: 'balanced',
        facts: [{ content: 'f1' }, 'f2'],
        decisions: [{ content: 'd1' }],
        current_state: { step: 1 },
      }),
    ).toEqual({
      compactionId: 'c1',
      formattedContext: 'ctx',
      summary: 'sum',
      originalTokenCount: 100,
      compactedTokenCount: 40,
      compressionRatio: 0.4,
      strategyUsed: 'balanced',
      facts: ['f1', 'f2'],
      decisions: ['d1'],
      preferences: [],
      currentState: { step: 1 },
    });
    expect(() => compactedFromWire({ facts: [{ text: 'x' }] })).toThrow(
      'facts.0.content must be present',
    );
  });

  it('reads a prompt context with Date timestamps and required message fields', () => {
    expect(
      promptContextFromWire({
        formatted_context: '',
        available: false,
        is_stale: false,
        recent_messages: [{ role: 'user', content: 'hi', timestamp: at, message_id: 'm1' }],
        recent_message_count: 1,
        total_message_count: 1,
      }),
    ).toEqual({
      formattedContext: '',
      available: false,
      isStale: false,
      recentMessages: [{ role: 'user', content: 'hi', timestamp: new Date(at), messageId: 'm1' }],
      recentMessageCount: 1,
      compactedMessageCount: 0,
      totalMessageCount: 1,
    });
    expect(() =>
      promptContextFromWire({ recent_messages: [{ role: 'user', content: 'hi', timestamp: at }] }),
    ).toThrow('recent_messages.0.message_id must be present');
  });
});

describe('fieldFromWire', () => {
  it('spells server field paths the way the client does', () => {
    expect(fieldFromWire('messages.2.conversation_id')).toBe('messages.2.conversationId');
    expect(fieldFromWire('target_tokens')).toBe('targetTokens');
    expect(fieldFromWire('content')).toBe('content');
  });
});
