import { describe, expect, it } from 'vitest';
import { memoryCandidate } from '../../src/engine/candidate-ranking.js';
import type { MemoryHit } from '../../src/store/records.js';
import { daysFromNow } from '../support/relative-dates.js';

const now = new Date();

function memory(overrides: Partial<MemoryHit>): MemoryHit {
  return {
    id: 'm',
    scope: 'user',
    memoryType: 'facts',
    content: 'a memory',
    entityId: '',
    subjectKey: '',
    confidence: 0.9,
    eventDate: null,
    validUntil: null,
    temporalCategory: 'perpetual',
    sourceMessageIds: [],
    createdAt: now,
    ...overrides,
  };
}

describe('memoryCandidate', () => {
  const context = { preferredTypes: ['preferences'], now };

  it('lets priors order equal matches but never outweigh a clearly better one', () => {
    const fresh = memoryCandidate(memory({ memoryType: 'preferences' }), 0.6, context);
    const old = memoryCandidate(
      memory({ confidence: 0.5, memoryType: 'episodes', createdAt: daysFromNow(-60, now) }),
      0.6,
      context,
    );
    expect(fresh.score).toBeGreaterThan(old.score);
    // The old, unsure, off-type memory that matches the event better still comes first.
    const better = memoryCandidate(
      memory({ confidence: 0.5, memoryType: 'episodes', createdAt: daysFromNow(-60, now) }),
      0.8,
      context,
    );
    expect(better.score).toBeGreaterThan(fresh.score);
  });

  it('keeps scores within 0..1 and 0 for no match', () => {
    expect(memoryCandidate(memory({}), 0, context).score).toBe(0);
    expect(memoryCandidate(memory({ confidence: 1 }), 1, context).score).toBeLessThanOrEqual(1);
  });
});
