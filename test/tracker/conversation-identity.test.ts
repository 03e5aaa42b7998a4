import { describe, expect, it } from 'vitest';
import { conversationIdFrom, InvalidInputError } from '../../src/index.js';
import { resolveIdentity } from '../../src/tracker/index.js';

describe('resolveIdentity', () => {
  it('turns a thread id into the conversation UUID conversationIdFrom derives', () => {
    expect(resolveIdentity({ threadId: 'chat-42', userId: 'alice' })).toEqual({
      conversationId: conversationIdFrom('chat-42'),
      userId: 'alice',
    });
  });

  it('prefers conversationId over threadId, and keeps a UUID as is in lower case', () => {
    const uuid = '6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB';
    const resolved = resolveIdentity({ conversationId: uuid, threadId: 'chat-42', userId: 'a' });
    expect(resolved.conversationId).toBe(uuid.toLowerCase());
  });

  it('lets a call override each field; a thread id on the call replaces the base conversation', () => {
    const base = { conversationId: conversationIdFrom('base'), userId: 'alice', sessionId: 's1' };
    expect(resolveIdentity(base, { threadId: 'other', customerId: 'acme' })).toEqual({
      conversationId: conversationIdFrom('other'),
      userId: 'alice',
      customerId: 'acme',
      sessionId: 's1',
    });
  });

  it('refuses an identity without a conversation or a user, naming the field', () => {
    expect(() => resolveIdentity({ userId: 'alice' })).toThrow(InvalidInputError);
    expect(() => resolveIdentity({ threadId: 't', userId: '' })).toThrow(/identity\.userId/);
  });
});
