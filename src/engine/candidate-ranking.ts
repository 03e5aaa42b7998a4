import type { ContextItem } from '../protocol/context-bundle.js';
import type { MemoryHit, MessageHit, Scope } from '../store/records.js';
import { dropCorrected } from './corrected-items.js';
import { estimateTokens } from './token-estimate.js';

/** One retrieved item with what ranking and budgeting need. */
export interface Candidate {
  item: ContextItem;
  /** 0..1, the item's relevance score. */
  score: number;
  tokens: number;
  /** Memories with the same non-empty key are one subject; the narrowest scope wins. */
  subjectKey: string;
  /** Messages a memory was extracted from: a memory in the bundle makes them redundant. */
  sourceIds: readonly string[];
}

/** How one record matched the plan: its rank per query, and what each query is worth. */
export interface Match {
  /** ts_rank_cd per query of the plan, 0 where it did not match. */
  ranks: readonly number[];
  /** The plan's query weights, same order. */
  weights: readonly number[];
}

/** What else ranking weighs besides the text. */
export interface RankingContext {
  /** Types the event's intent needs most; [] weighs every type alike. */
  preferredTypes: readonly string[];
  now: Date;
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
const MESSAGE_WEIGHT = 0.75;
const MAX_MESSAGE_CHARS = 1000;
const OTHER_TYPE_WEIGHT = 0.85;
// Recency moves a score by at most a fifth: an old, exact memory still beats a new,
// vague one. Half of the bonus is gone after about three weeks.
const RECENCY_SHARE = 0.2;
const RECENCY_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * How far the priors (confidence, scope, type, recency, memory over transcript) may
 * move a score: they order items that match alike, and never outweigh a clearly better
 * match. Multiplied in full, four factors of 0.8 to 0.9 took 40 % off a score and put a
 * confident memory matching one word above an older one matching the event's entity.
 */
const PRIOR_SPAN = 0.35;

/** ts_rank_cd is unbounded; this maps it onto 0..1, saturating (0.1 → 0.5). */
function saturate(rank: number): number {
  return rank > 0 ? rank / (rank + 0.1) : 0;
}

/**
 * Text relevance, 0..1: a noisy-or over the queries, each counting its saturated rank
 * times its weight. A record found by the entity and by the intent beats one found by
 * either; a plan without queries (recency search) gives every record a low, equal 0.3.
 */
export function similarity(match: Match): number {
  if (match.weights.length === 0) return 0.3;
  let miss = 1;
  match.ranks.forEach((rank, at) => {
    miss *= 1 - (match.weights[at] ?? 0) * saturate(rank);
  });
  return clampUnit(1 - miss);
}

function recency(createdAt: Date, now: Date): number {
  const ageDays = Math.max(0, (now.getTime() - createdAt.getTime()) / DAY_MS);
  return 1 - RECENCY_SHARE + RECENCY_SHARE * Math.exp(-ageDays / RECENCY_DAYS);
}

function typeWeight(type: string, context: RankingContext): number {
  return context.preferredTypes.length === 0 || context.preferredTypes.includes(type)
    ? 1
    : OTHER_TYPE_WEIGHT;
}

export function memoryCandidate(
  memory: MemoryHit,
  /** 0..1: `similarity(match)` for lexical retrieval, the fused score for hybrid. */
  textScore: number,
  context: RankingContext,
): Candidate {
  const confidence = clampUnit(memory.confidence);
  const prior =
    (0.6 + 0.4 * confidence) *
    SCOPE_WEIGHT[memory.scope] *
    typeWeight(memory.memoryType, context) *
    recency(memory.createdAt, context.now);
  const score = clampUnit(textScore * (1 - PRIOR_SPAN * (1 - prior)));
  const createdAt = memory.createdAt.toISOString();
  const item: ContextItem = {
    itemId: memory.id,
    content: memory.content,
    contextType: memory.memoryType,
    source: 'memories',
    similarityScore: textScore,
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
  return {
    item,
    score,
    tokens: estimateTokens(item.content),
    subjectKey: memory.subjectKey,
    sourceIds: memory.sourceMessageIds,
  };
}

/**
 * A past message of the same user, served as an `episodes` item with source
 * 'messages': the wire has no type for raw transcript, and an episode (something
 * that happened in an earlier conversation) is the closest.
 */
export function messageCandidate(
  message: MessageHit,
  textScore: number,
  context: RankingContext,
  currentConversationId: string,
): Candidate {
  const prior = MESSAGE_WEIGHT * recency(message.recordedAt, context.now);
  const score = clampUnit(textScore * (1 - PRIOR_SPAN * (1 - prior)));
  const content = truncate(`${message.role}: ${message.content}`, MAX_MESSAGE_CHARS);
  const item: ContextItem = {
    itemId: message.id,
    content,
    contextType: 'episodes',
    source: 'messages',
    similarityScore: textScore,
    relevanceScore: score,
    confidence: 1,
    scope: message.conversationId === currentConversationId ? 'conversation' : 'user',
    entityId: '',
    createdAt: message.recordedAt.toISOString(),
    temporalCategory: 'episode',
    temporalConfidence: 1,
  };
  return { item, score, tokens: estimateTokens(content), subjectKey: '', sourceIds: [] };
}

/**
 * Best first. Of memories on one subject only the narrowest scope stays (wire.md:
 * the narrower scope wins on conflict); of identical texts only the best; of past
 * messages only those no retrieved memory was extracted from; and nothing that a later
 * item corrects (corrected-items.ts).
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
  const ranked = dropCorrected([...bySubject.values(), ...rest]).sort(
    (a, b) => b.score - a.score || b.item.createdAt.localeCompare(a.item.createdAt),
  );
  // A message that a retrieved memory was extracted from says the same thing, less well.
  const covered = new Set(ranked.flatMap((candidate) => candidate.sourceIds));
  const seenTexts = new Set<string>();
  return ranked.filter((candidate) => {
    if (candidate.item.source === 'messages' && covered.has(candidate.item.itemId)) return false;
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
