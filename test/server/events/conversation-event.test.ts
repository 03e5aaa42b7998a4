import { describe, expect, it } from 'vitest';
import { parseConversationEvent } from '../../../src/server/events/conversation-event.js';
import { ServerError } from '../../../src/server/server-error.js';

const conversationId = '6f1c1f58-7a3e-4a51-9f57-1c1d9f0c2b11';
const b2c = { clientMode: 'b2c' } as const;
const b2b = { clientMode: 'b2b' } as const;
const toolCall = {
  event_type: 'tool_call',
  conversation_id: conversationId,
  user_id: 'user-1',
  tool_name: 'book_flight',
  tool_args_json: '{"destination":"Lisbon"}',
};

function refusal(raw: unknown, options: { clientMode: 'b2c' | 'b2b' } = b2c) {
  try {
    parseConversationEvent(raw, options);
  } catch (error) {
    if (error instanceof ServerError) return { field: error.field, detail: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseConversationEvent', () => {
  it('reads a tool call, parsing tool_args_json into an object', () => {
    const event = parseConversationEvent(toolCall, b2c);
    expect(event).toMatchObject({
      eventType: 'tool_call',
      conversationId,
      toolArgs: { destination: 'Lisbon' },
      metadata: {},
      timestampMs: null,
      searchQueries: [],
    });
  });

  it('takes tool_args as an object (the HTTP form) and explicit nulls as absent', () => {
    const event = parseConversationEvent(
      { ...toolCall, tool_args_json: null, tool_args: { destination: 'Porto' }, role: null },
      b2c,
    );
    expect(event.toolArgs).toEqual({ destination: 'Porto' });
    expect(event.role).toBe('');
  });

  it('tolerates unknown event types without a user', () => {
    const event = parseConversationEvent({ event_type: 'agent_thinking', content: 'hmm' }, b2c);
    expect(event.eventType).toBe('agent_thinking');
  });

  it('names the field and the rule of each refusal', () => {
    expect(refusal({ ...toolCall, conversation_id: 'not-a-uuid' })).toEqual({
      field: 'conversation_id',
      detail: 'conversation_id: must be a UUID',
    });
    expect(refusal({ ...toolCall, event_type: '' }).field).toBe('event_type');
    expect(refusal({ ...toolCall, user_id: '' })).toEqual({
      field: 'user_id',
      detail: 'user_id: is required for tool_call events',
    });
    expect(refusal({ ...toolCall, tool_args_json: '[1,2]' })).toEqual({
      field: 'tool_args_json',
      detail: 'tool_args_json: must be a JSON object',
    });
    expect(refusal({ ...toolCall, tool_args_json: '{oops' }).detail).toBe(
      'tool_args_json: must be valid JSON',
    );
    expect(refusal('a string').field).toBe('event');
  });

  it('bounds sizes', () => {
    expect(refusal({ ...toolCall, content: 'é'.repeat(40_000) }).detail).toBe(
      'content: must be at most 65536 bytes',
    );
    expect(
      refusal({ ...toolCall, tool_args: { text: 'x'.repeat(70_000) }, tool_args_json: '' }).field,
    ).toBe('tool_args');
    expect(refusal({ ...toolCall, search_queries: Array(33).fill('q') }).detail).toBe(
      'search_queries: must have at most 32 items',
    );
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(refusal({ ...toolCall, metadata }).field).toBe('metadata');
  });

  it('requires customer_id with user_id for B2B clients only', () => {
    expect(refusal(toolCall, b2b)).toEqual({
      field: 'customer_id',
      detail: 'customer_id: is required with user_id for B2B clients',
    });
    expect(parseConversationEvent({ ...toolCall, customer_id: 'acme' }, b2b).customerId).toBe(
      'acme',
    );
  });
});
