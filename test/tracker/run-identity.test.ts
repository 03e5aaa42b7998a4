import { describe, expect, it } from 'vitest';
import { identityFromRun } from '../../src/tracker/index.js';

describe('identityFromRun', () => {
  it('reads LangGraph thread_id and user_id from configurable or metadata', () => {
    expect(identityFromRun({ configurable: { thread_id: 'chat-1', user_id: 'alice' } })).toEqual({
      threadId: 'chat-1',
      userId: 'alice',
    });
    expect(identityFromRun({ metadata: { thread_id: 'chat-2' } })).toEqual({ threadId: 'chat-2' });
  });

  it('lets a foresight object win, in metadata, configurable or context', () => {
    expect(
      identityFromRun({
        configurable: { thread_id: 'chat-1', user_id: 'alice' },
        context: { foresight: { conversationId: 'conv-9', userId: 'bob', customerId: 'acme' } },
      }),
    ).toEqual({ threadId: 'chat-1', conversationId: 'conv-9', userId: 'bob', customerId: 'acme' });
  });

  it('ignores what is not a non-empty string, and answers undefined when nothing is given', () => {
    expect(
      identityFromRun({
        metadata: { thread_id: 42, foresight: { userId: '', threadId: null } },
        configurable: 'nonsense',
        context: null,
      }),
    ).toBeUndefined();
    expect(identityFromRun({})).toBeUndefined();
  });
});
