import type { MemoryRecord, MemoryType, Scope, ScoredMemory } from '../../store/records.js';

/**
 * Memories in the JSON shapes of a fetch answer (wire.md): one mapping place. Absent
 * values are omitted, never `null`, because the reference client crashes on a `null`
 * where it expects a string, object or list.
 */
export type ContextJson = Record<MemoryType, Record<string, unknown>[]>;

const SCOPE_RANK: Record<Scope, number> = { conversation: 0, user: 1, customer: 2, client: 3 };

export function emptyContext(): ContextJson {
  return { facts: [], preferences: [], episodes: [], emotions: [], temporal_events: [] };
}

/**
 * Groups ranked memories by type. Where two scopes hold a memory on the same subject,
 * the narrower scope wins and the broader one is left out.
 */
export function toContextJson(memories: ScoredMemory[], maxResults: number): ContextJson {
  const bySubject = new Map<string, ScoredMemory>();
  const kept: ScoredMemory[] = [];
  for (const scored of memories) {
    const { subjectKey, memoryType, scope } = scored.memory;
    if (!subjectKey) {
      kept.push(scored);
      continue;
    }
    const key = `${memoryType}:${subjectKey}`;
    const existing = bySubject.get(key);
    if (!existing || SCOPE_RANK[scope] < SCOPE_RANK[existing.memory.scope])
      bySubject.set(key, scored);
  }
  kept.push(...bySubject.values());
  kept.sort(
    (a, b) =>
      b.textRank - a.textRank || b.memory.createdAt.getTime() - a.memory.createdAt.getTime(),
  );
  const context = emptyContext();
  for (const { memory } of kept.slice(0, maxResults))
    context[memory.memoryType].push(memoryJson(memory));
  return context;
}

export function memoryJson(memory: MemoryRecord): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: memory.id,
    content: memory.content,
    confidence: clamp01(memory.confidence),
    source: memory.sourceMessageIds.length > 0 ? 'conversation' : 'api',
    extracted_at: memory.createdAt.toISOString(),
    metadata: { ...memory.metadata, scope: memory.scope, entity_id: memory.entityId },
    temporal_category: memory.temporalCategory,
  };
  if (memory.eventDate) base.event_date = memory.eventDate.toISOString();
  if (memory.validUntil) base.valid_until = memory.validUntil.toISOString();
  switch (memory.memoryType) {
    case 'preferences':
      return {
        ...base,
        category: memory.category ?? 'general',
        strength: clamp01(memory.strength ?? memory.confidence),
      };
    case 'episodes':
      return {
        ...base,
        summary: memory.content,
        occurred_at: (memory.eventDate ?? memory.createdAt).toISOString(),
        significance: clamp01(memory.significance ?? 0.5),
        participants: memory.participants,
      };
    case 'temporal_events':
      // A temporal event needs an event date; fall back to when it was learned.
      return { ...base, event_date: (memory.eventDate ?? memory.createdAt).toISOString() };
    default:
      return base;
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
