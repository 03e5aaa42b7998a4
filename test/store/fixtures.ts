import { randomUUID } from 'node:crypto';
import type { NewMemory, NewMessage } from '../../src/store/records.js';
import { memory } from '../support/memories.js';

/** A fresh tenant per test: the stores are shared within a describe block. */
export function clientId(): string {
  return `client_${randomUUID()}`;
}

export function newMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    conversationId: randomUUID(),
    userId: 'user-1',
    customerId: '',
    sessionId: 'session-1',
    role: 'user',
    content: 'hello there',
    metadata: {},
    idempotencyKey: null,
    ...overrides,
  };
}

export function newMemory(overrides: Partial<NewMemory> = {}): NewMemory {
  return memory({ userId: 'user-1', content: 'The user lives in Lisbon', ...overrides });
}
