import type { NewMemory } from '../../src/store/records.js';

/** A user-scoped fact by default; override what the test is about. */
export function memory(overrides: Partial<NewMemory> & Pick<NewMemory, 'content'>): NewMemory {
  return {
    scope: 'user',
    userId: 'alice',
    customerId: '',
    conversationId: null,
    memoryType: 'facts',
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
