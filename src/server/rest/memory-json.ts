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
 * The memories one fetch answers, best first. Where two scopes hold a memory on the
 * same subject, the narrower scope wins and the broader one is left out.
 */
export function selectForAnswer(memories: ScoredMemory[], maxResults: number): ScoredMemory[] {
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
  return kept.slice(0, maxResults);
}

/** Selected memories grouped by type: the Python client's `context` envelope. */
export function toContextJson(selected: ScoredMemory[]): ContextJson {
  const context = emptyContext();
  for (const { memory } of selected) context[memory.memoryType].push(memoryJson(memory));
  return context;
}

/**
 * The same memories as `items_by_type.{type}.items`, each item in the shape of a
 * bundle's ContextItem: what Synap's TypeScript adapter reads from a fetch answer.
 */
export function toItemsByTypeJson(
  selected: ScoredMemory[],
): Record<MemoryType, { items: Record<string, unknown>[] }> {
  const byType = {
    facts: { items: [] },
    preferences: { items: [] },
    episodes: { items: [] },
    emotions: { items: [] },
    temporal_events: { items: [] },
  } as Record<MemoryType, { items: Record<string, unknown>[] }>;
  const topRank = Math.max(0, ...selected.map((scored) => scored.textRank));
  for (const { memory, textRank } of selected) {
    const confidence = clamp01(memory.confidence);
    // ts_rank_cd is unbounded; relative to the best match it fits the wire's 0..1.
    const relevance = topRank > 0 ? clamp01(textRank / topRank) : 0;
    const item: Record<string, unknown> = {
      item_id: memory.id,
      content: memory.content,
      context_type: memory.memoryType,
      source: 'memories',
      similarity_score: relevance,
      relevance_score: relevance,
      confidence,
      scope: memory.scope,
      entity_id: memory.entityId,
      created_at: memory.createdAt.toISOString(),
      temporal_category: memory.temporalCategory,
      temporal_confidence: confidence,
    };
    if (memory.eventDate) item.event_date = memory.eventDate.toISOString();
    else if (memory.memoryType === 'temporal_events')
      item.event_date = memory.createdAt.toISOString();
    if (memory.validUntil) item.valid_until = memory.validUntil.toISOString();
    byType[memory.memoryType].items.push(item);
  }
  return byType;
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
