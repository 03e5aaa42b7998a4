import type { MemoryType, Scope } from './memory-types.js';

/**
 * What the engine hands back for one event: our camelCase mirror of the wire's
 * `ContextBundleProto`. The generated proto type and the snake_case JSON form are
 * produced from it in one place (bundle-codec.ts); nothing else maps fields.
 *
 * Optional fields are absent rather than empty so the JSON form can omit them
 * (the reference client crashes on `null` where it expects a string).
 */
export interface ContextBundle {
  bundleId: string;
  decisionId: string;
  /** Only the five memory types of wire.md; a type with no items may be absent. */
  itemsByType: Partial<Record<MemoryType, ContextItem[]>>;
  totalTokens: number;
  tokenBudget: number;
  /** True when relevant items were left out to stay within `tokenBudget`. */
  budgetExceeded: boolean;
  retrievalMode: 'fast' | 'accurate';
  sourcesQueried: string[];
  degradationLevel: DegradationLevel;
  warnings: string[];
  /** ISO 8601. */
  createdAt: string;
  retrievalTimeMs: number;
  cacheHit: boolean;
  searchQueries: string[];
  /** The client caches a bundle under these three ids; '' means "any". */
  anticipationUserId: string;
  anticipationCustomerId: string;
  anticipationConversationId: string;
  searchKeywords: string[];
  bundleType: BundleType;
  conversationContext?: ConversationContext;
  /** 0..1. */
  bundleConfidence: number;
  originPatternId?: string;
  ttlHintSeconds: number;
  /** The event this bundle answers (our extension, proto field 100). */
  inReplyToEventId?: string;
}

export type DegradationLevel = 'none' | 'partial' | 'minimal' | 'failed';
export type BundleType = 'anticipation' | 'user_summary' | 'reactive' | 'compaction_update';

export interface ContextItem {
  itemId: string;
  content: string;
  contextType: MemoryType;
  /** Where the item came from: 'memories' or 'messages'. */
  source: string;
  /** All scores are within 0..1. */
  similarityScore: number;
  relevanceScore: number;
  confidence: number;
  scope: Scope;
  entityId: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; always present on a `temporal_events` item. */
  eventDate?: string;
  validUntil?: string;
  temporalCategory?: 'perpetual' | 'temporal_fact' | 'episode';
  temporalConfidence: number;
}

export interface ConversationContext {
  summary?: string;
  /** Valid JSON text or ''. A parse error here kills the reference client's stream. */
  currentStateJson: string;
  /** Valid JSON text or ''. */
  keyExtractionsJson: string;
  /** Oldest first. */
  recentTurns: RecentTurn[];
  compactionId?: string;
  compactedAt?: string;
  conversationId: string;
}

export interface RecentTurn {
  role: string;
  content: string;
  /** ISO 8601. */
  timestamp: string;
}
