import { randomUUID } from 'node:crypto';
import type { NewMemory, NewMessage } from '../../src/store/records.js';

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
  return {
    scope: 'user',
    userId: 'user-1',
    customerId: '',
    conversationId: null,
    memoryType: 'facts',
    content: 'The user lives in Lisbon',
    entityId: '',
    subjectKey: '',
    confidence: 0.9,
    category: null,
    strength: null,
    significance: null,
    participants: [],
    eventDate: null,
    validUntil: null,
    temporalCategory: 'perpetual',
    sourceMessageIds: [],
    metadata: {},
    ...overrides,
  };
}
