import { randomUUID } from 'node:crypto';
import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import {
  CONVERSATION_ID_NAMESPACE,
  conversationIdFrom,
} from '../../../src/client/conversation-id.js';
import { InvalidInputError } from '../../../src/client/errors.js';

describe('conversationIdFrom', () => {
  it('derives a stable UUID v5 from any thread id', () => {
    const id = conversationIdFrom('thread-42');
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(5);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(conversationIdFrom('thread-42')).toBe(id);
    expect(conversationIdFrom('thread-43')).not.toBe(id);
    expect(conversationIdFrom('Thread-42')).not.toBe(id);
  });

  it('never changes across releases (the namespace is fixed)', () => {
    expect(CONVERSATION_ID_NAMESPACE).toBe('a3b6f1d2-5c4e-4f7a-9b8d-2e1c0f9a7b65');
    expect(conversationIdFrom('thread-42')).toBe('175a73f1-aa48-58ea-a918-08a0a02e711a');
  });

  it('returns a UUID as is, in canonical lower case', () => {
    const uuid = randomUUID();
    expect(conversationIdFrom(uuid)).toBe(uuid);
    expect(conversationIdFrom(uuid.toUpperCase())).toBe(uuid);
  });

  it('accepts ids of any shape, including unicode and slashes', () => {
    for (const threadId of ['a/b', '☃', ' ', 'x'.repeat(10_000)])
      expect(validate(conversationIdFrom(threadId))).toBe(true);
  });

  it('refuses an empty thread id', () => {
    expect(() => conversationIdFrom('')).toThrow(InvalidInputError);
    expect(() => conversationIdFrom('')).toThrow('threadId: must be a non-empty string');
  });
});
