import type { MessageRecord, NewMemory } from '../../store/records.js';
import type { Clause } from './clause.js';

/** The parts of a memory a rule decides; the rest comes from the message and the clause. */
export type MemoryDraft = Pick<NewMemory, 'memoryType' | 'content' | 'confidence'> &
  Partial<Omit<NewMemory, 'memoryType' | 'content' | 'confidence'>>;

/** How much a hedge ("I think", "maybe") costs in confidence. */
const HEDGE_PENALTY = 0.2;

/**
 * Completes a rule's draft into a `NewMemory`: the owner and provenance come from the
 * message, the scope from the clause (conversation-only remarks stay in their
 * conversation), and confidence is clamped to 0..1.
 */
export function completeMemory(
  draft: MemoryDraft,
  message: MessageRecord,
  clause: Clause,
): NewMemory {
  const conversationScoped = draft.scope === 'conversation' || clause.conversationScoped;
  const confidence = draft.confidence - (clause.hedged ? HEDGE_PENALTY : 0);
  return {
    entityId: '',
    subjectKey: '',
    category: null,
    strength: null,
    significance: null,
    participants: [],
    eventDate: null,
    validUntil: null,
    temporalCategory: 'perpetual',
    metadata: {},
    ...draft,
    scope: conversationScoped ? 'conversation' : 'user',
    userId: message.userId,
    customerId: message.customerId,
    conversationId: conversationScoped ? message.conversationId : null,
    confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100,
    sourceMessageIds: [message.id],
  };
}

/** A rule reads one clause of a user turn and answers the memories it states. */
export type ExtractionRule = (clause: Clause, message: MessageRecord) => NewMemory[];
