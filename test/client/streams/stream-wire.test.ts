import { describe, expect, it } from 'vitest';
import type { OutgoingEvent } from '../../../src/client/event-stream.js';
import {
  conversationEventToJson,
  conversationEventToProto,
  streamSignalFromProto,
} from '../../../src/client/stream-wire.js';
import { ConversationEvent } from '../../../src/gen/synap/v1/synap.js';

const event: OutgoingEvent = {
  eventType: 'tool_call',
  conversationId: '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11',
  userId: 'alice',
  toolName: 'book_flight',
  toolArgs: { destination: 'Lisbon', passengers: 2 },
  metadata: { event_id: 'the caller’s own', source: 'test' },
  eventId: 'evt-1',
  timestampMs: 1_767_225_600_000,
};

describe('conversationEventToProto', () => {
  it('serializes tool args, puts the event id in metadata, and fills absent fields', () => {
    const proto = conversationEventToProto(event);
    expect(proto).toEqual({
      eventType: 'tool_call',
      conversationId: event.conversationId,
      userId: 'alice',
      role: 'assistant',
      content: '',
      customerId: '',
      sessionId: '',
      metadata: { event_id: 'evt-1', source: 'test' },
      timestampMs: 1_767_225_600_000,
      toolName: 'book_flight',
      toolArgsJson: '{"destination":"Lisbon","passengers":2}',
      searchQueries: [],
      contextTypes: [],
    });
    const decoded = ConversationEvent.decode(ConversationEvent.encode(proto).finish());
    expect(decoded.metadata.event_id).toBe('evt-1');
  });

  it("keeps the caller's role, and defaults a user message to the user", () => {
    expect(conversationEventToProto({ ...event, role: 'user' }).role).toBe('user');
    const message = { ...event, eventType: 'user_message' as const, toolArgs: undefined };
    expect(conversationEventToProto(message)).toMatchObject({ role: 'user', toolArgsJson: '' });
  });
});

describe('conversationEventToJson', () => {
  it('writes snake_case with tool_args as an object, left out when absent', () => {
    const json = conversationEventToJson(event);
    expect(json).toMatchObject({
      event_type: 'tool_call',
      conversation_id: event.conversationId,
      tool_args: { destination: 'Lisbon', passengers: 2 },
      metadata: { event_id: 'evt-1', source: 'test' },
      timestamp_ms: 1_767_225_600_000,
    });
    const without = conversationEventToJson({ ...event, toolArgs: undefined });
    expect('tool_args' in without).toBe(false);
    expect(JSON.stringify(without)).not.toContain('null');
  });
});

describe('streamSignalFromProto', () => {
  it('maps a signal to the public shape', () => {
    const signal = streamSignalFromProto({
      signalType: 'throttle',
      reason: 'slow down',
      metadata: { retry_after_ms: '250' },
    });
    expect(signal).toEqual({
      type: 'throttle',
      reason: 'slow down',
      metadata: { retry_after_ms: '250' },
    });
  });
});
