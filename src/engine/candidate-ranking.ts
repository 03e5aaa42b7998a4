import type { ContextItem } from '../protocol/context-bundle.js';
import type { MemoryRecord, MessageRecord, Scope } from '../store/records.js';
import { estimateTokens } from './token-estimate.js';

/** One retrieved item with what ranking and budgeting need. */
export interface Candidate {
  item: ContextItem;
  /** 0..1, the item's relevance score. */
  score: number;
  tokens: number;
  /** Memories with the same non-empty key are one subject; the narrowest scope wins. */
  subjectKey: string;
}

/** How often, and how well, one record matched the plan's queries. */
export interface Match {
  bestTextRank: number;
  queriesMatched: number;
}

const SCOPE_WEIGHT: Record<Scope, number> = {
  conversation: 1,
  user: 0.9,
  customer: 0.8,
  client: 0.7,
};
const SCOPE_ORDER: Scope[] = ['conversation', 'user', 'customer', 'client'];

// Raw transcript is noisier than extracted memory: rank it below a memory that
// matched as well.
const MESSAGE_WEIGHT = 0.8;
const MAX_MESSAGE_CHARS = 1000;

/**
 * ts_rank_cd is unbounded; this maps it onto 0..1, saturating (0.1 → 0.5). Without
 * a query (recency search) every record gets a low, equal similarity.
 */
export function similarity(match: Match, queryCount: number): number {
  if (queryCount === 0) return 0.3;
  return clampUnit(match.bestTextRank / (match.bestTextRank + 0.1));
}

function relevance(match: Match, queryCount: number): number {
  if (queryCount === 0) return 0.3;
  const coverage = Math.min(1, match.queriesMatched / Math.min(queryCount, 3));
  return clampUnit(0.6 * similarity(match, queryCount) + 0.4 * coverage);
}

export function memoryCandidate(memory: MemoryRecord, match: Match, queryCount: number): Candidate {
  const confidence = clampUnit(memory.confidence);
  const score = clampUnit(
    relevance(match, queryCount) * (0.5 + 0.5 * confidence) * SCOPE_WEIGHT[memory.scope],
  );
  const createdAt = memory.createdAt.toISOString();
  const item: ContextItem = {
    itemId: memory.id,
    content: memory.content,
    contextType: memory.memoryType,
    source: 'memories',
    similarityScore: similarity(match, queryCount),
    relevanceScore: score,
    confidence,
    scope: memory.scope,
    entityId: memory.entityId,
    createdAt,
    temporalCategory: memory.temporalCategory,
    temporalConfidence: confidence,
  };
  // The client needs event_date on every temporal event; the store requires one,
  // and creation time stands in should a row ever lack it.
  if (memory.eventDate) item.eventDate = memory.eventDate.toISOString();
  else if (memory.memoryType === 'temporal_events') item.eventDate = createdAt;
  if (memory.validUntil) item.validUntil = memory.validUntil.toISOString();
  return { item, score, tokens: estimateTokens(item.content), subjectKey: memory.subjectKey };
}

/**
 * A past message of the same user, served as an `episodes` item with source
 * 'messages': the wire has no type for raw transcript, and an episode (something
 * that happened in an earlier conversation) is the closest.
 */
export function messageCandidate(
  message: MessageRecord,
  match: Match,
  queryCount: number,
  currentConversationId: string,
): Candidate {
  const score = clampUnit(relevance(match, queryCount) * MESSAGE_WEIGHT);
  const content = truncate(`${message.role}: ${message.content}`, MAX_MESSAGE_CHARS);
  const item: ContextItem = {
    itemId: message.id,
    content,
    contextType: 'episodes',
    source: 'messages',
    similarityScore: similarity(match, queryCount),
    relevanceScore: score,
    confidence: 1,
    scope: message.conversationId === currentConversationId ? 'conversation' : 'user',
    entityId: '',
    createdAt: message.recordedAt.toISOString(),
    temporalCategory: 'episode',
    temporalConfidence: 1,
  };
  return { item, score, tokens: estimateTokens(content), subjectKey: '' };
}

/**
 * Best first. Of memories on one subject only the narrowest scope stays (wire.md:
 * the narrower scope wins on conflict); of identical texts only the best.
 */
export function rankCandidates(candidates: readonly Candidate[]): Candidate[] {
  const bySubject = new Map<string, Candidate>();
  const rest: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.subjectKey === '') {
      rest.push(candidate);
      continue;
    }
    const key = `${candidate.item.contextType}\u0000${candidate.subjectKey}`;
    const held = bySubject.get(key);
    if (!held || narrower(candidate, held)) bySubject.set(key, candidate);
  }
  const ranked = [...bySubject.values(), ...rest].sort(
    (a, b) => b.score - a.score || b.item.createdAt.localeCompare(a.item.createdAt),
  );
  const seenTexts = new Set<string>();
  return ranked.filter((candidate) => {
    const text = candidate.item.content.trim().toLowerCase();
    if (seenTexts.has(text)) return false;
    seenTexts.add(text);
    return true;
  });
}

function narrower(a: Candidate, b: Candidate): boolean {
  const rankA = SCOPE_ORDER.indexOf(a.item.scope);
  const rankB = SCOPE_ORDER.indexOf(b.item.scope);
  return rankA < rankB || (rankA === rankB && a.item.createdAt > b.item.createdAt);
}

export function clampUnit(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
