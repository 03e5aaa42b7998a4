import { z } from 'zod';
import type {
  ContextBundleProto,
  ContextItemProto,
  ConversationContextProto,
} from '../gen/synap/v1/synap.js';
import type { ContextBundle, ContextItem, ConversationContext } from './context-bundle.js';
import { MEMORY_TYPES, SCOPES } from './memory-types.js';

/**
 * The one place a `ContextBundle` changes shape: to and from the generated
 * `ContextBundleProto` (the Listen stream) and its snake_case JSON form (the HTTP
 * event path and the `payload` column of stored bundles). The JSON form omits absent
 * optional values instead of writing `null`, and reading it accepts `null` as absent.
 */

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value || undefined);
const texts = z
  .array(z.string())
  .nullish()
  .transform((value) => value ?? []);
const unit = z.number().min(0).max(1);

const itemJsonSchema = z.object({
  item_id: z.string(),
  content: z.string(),
  context_type: z.enum(MEMORY_TYPES),
  source: z.string(),
  similarity_score: unit,
  relevance_score: unit,
  confidence: unit,
  scope: z.enum(SCOPES),
  entity_id: z.string(),
  created_at: z.string(),
  event_date: optionalText,
  valid_until: optionalText,
  temporal_category: z.enum(['perpetual', 'temporal_fact', 'episode']).nullish(),
  temporal_confidence: unit,
});

const conversationContextJsonSchema = z.object({
  summary: optionalText,
  current_state_json: z.string(),
  key_extractions_json: z.string(),
  recent_turns: z.array(z.object({ role: z.string(), content: z.string(), timestamp: z.string() })),
  compaction_id: optionalText,
  compacted_at: optionalText,
  conversation_id: z.string(),
});

const itemList = z.array(itemJsonSchema).nullish();
const itemsByTypeSchema = z.object({
  facts: itemList,
  preferences: itemList,
  episodes: itemList,
  emotions: itemList,
  temporal_events: itemList,
});

const bundleJsonSchema = z.object({
  bundle_id: z.string(),
  decision_id: z.string(),
  items_by_type: itemsByTypeSchema,
  total_tokens: z.number().int().min(0),
  token_budget: z.number().int().min(0),
  budget_exceeded: z.boolean(),
  retrieval_mode: z.enum(['fast', 'accurate']),
  sources_queried: texts,
  degradation_level: z.enum(['none', 'partial', 'minimal', 'failed']),
  warnings: texts,
  created_at: z.string(),
  retrieval_time_ms: z.number().min(0),
  cache_hit: z.boolean(),
  search_queries: texts,
  anticipation_user_id: z.string(),
  anticipation_customer_id: z.string(),
  anticipation_conversation_id: z.string(),
  search_keywords: texts,
  bundle_type: z.enum(['anticipation', 'user_summary', 'reactive', 'compaction_update']),
  conversation_context: conversationContextJsonSchema.nullish(),
  bundle_confidence: unit,
  origin_pattern_id: optionalText,
  ttl_hint_seconds: z.number().int().min(0),
  in_reply_to_event_id: optionalText,
});

type ItemJson = z.output<typeof itemJsonSchema>;

/** The JSON (HTTP and storage) form of a bundle: `ContextBundleProto` in snake_case. */
export type ContextBundleJson = z.output<typeof bundleJsonSchema>;

export function contextBundleToJson(bundle: ContextBundle): ContextBundleJson {
  const itemsByType: ContextBundleJson['items_by_type'] = {};
  for (const type of MEMORY_TYPES) {
    const items = bundle.itemsByType[type];
    if (items) itemsByType[type] = items.map(itemToJson);
  }
  return withoutUndefined({
    bundle_id: bundle.bundleId,
    decision_id: bundle.decisionId,
    items_by_type: itemsByType,
    total_tokens: bundle.totalTokens,
    token_budget: bundle.tokenBudget,
    budget_exceeded: bundle.budgetExceeded,
    retrieval_mode: bundle.retrievalMode,
    sources_queried: bundle.sourcesQueried,
    degradation_level: bundle.degradationLevel,
    warnings: bundle.warnings,
    created_at: bundle.createdAt,
    retrieval_time_ms: bundle.retrievalTimeMs,
    cache_hit: bundle.cacheHit,
    search_queries: bundle.searchQueries,
    anticipation_user_id: bundle.anticipationUserId,
    anticipation_customer_id: bundle.anticipationCustomerId,
    anticipation_conversation_id: bundle.anticipationConversationId,
    search_keywords: bundle.searchKeywords,
    bundle_type: bundle.bundleType,
    conversation_context: bundle.conversationContext
      ? conversationContextToJson(bundle.conversationContext)
      : undefined,
    bundle_confidence: bundle.bundleConfidence,
    origin_pattern_id: bundle.originPatternId,
    ttl_hint_seconds: bundle.ttlHintSeconds,
    in_reply_to_event_id: bundle.inReplyToEventId,
  });
}

/** Reads the JSON form back; throws a zod error naming the path when it is not one. */
export function contextBundleFromJson(json: unknown): ContextBundle {
  const parsed = bundleJsonSchema.parse(json);
  const itemsByType: ContextBundle['itemsByType'] = {};
  for (const type of MEMORY_TYPES) {
    const items = parsed.items_by_type[type];
    if (items) itemsByType[type] = items.map(itemFromJson);
  }
  const context = parsed.conversation_context;
  return withoutUndefined({
    bundleId: parsed.bundle_id,
    decisionId: parsed.decision_id,
    itemsByType,
    totalTokens: parsed.total_tokens,
    tokenBudget: parsed.token_budget,
    budgetExceeded: parsed.budget_exceeded,
    retrievalMode: parsed.retrieval_mode,
    sourcesQueried: parsed.sources_queried,
    degradationLevel: parsed.degradation_level,
    warnings: parsed.warnings,
    createdAt: parsed.created_at,
    retrievalTimeMs: parsed.retrieval_time_ms,
    cacheHit: parsed.cache_hit,
    searchQueries: parsed.search_queries,
    anticipationUserId: parsed.anticipation_user_id,
    anticipationCustomerId: parsed.anticipation_customer_id,
    anticipationConversationId: parsed.anticipation_conversation_id,
    searchKeywords: parsed.search_keywords,
    bundleType: parsed.bundle_type,
    conversationContext: context
      ? withoutUndefined({
          summary: context.summary,
          currentStateJson: context.current_state_json,
          keyExtractionsJson: context.key_extractions_json,
          recentTurns: context.recent_turns,
          compactionId: context.compaction_id,
          compactedAt: context.compacted_at,
          conversationId: context.conversation_id,
        })
      : undefined,
    bundleConfidence: parsed.bundle_confidence,
    originPatternId: parsed.origin_pattern_id,
    ttlHintSeconds: parsed.ttl_hint_seconds,
    inReplyToEventId: parsed.in_reply_to_event_id,
  });
}

export function contextBundleToProto(bundle: ContextBundle): ContextBundleProto {
  const itemsByType: ContextBundleProto['itemsByType'] = {};
  for (const type of MEMORY_TYPES) {
    const items = bundle.itemsByType[type];
    if (items) itemsByType[type] = { items: items.map(itemToProto) };
  }
  return {
    bundleId: bundle.bundleId,
    decisionId: bundle.decisionId,
    itemsByType,
    totalTokens: bundle.totalTokens,
    tokenBudget: bundle.tokenBudget,
    budgetExceeded: bundle.budgetExceeded,
    retrievalMode: bundle.retrievalMode,
    sourcesQueried: bundle.sourcesQueried,
    degradationLevel: bundle.degradationLevel,
    warnings: bundle.warnings,
    createdAt: bundle.createdAt,
    retrievalTimeMs: Math.round(bundle.retrievalTimeMs),
    cacheHit: bundle.cacheHit,
    searchQueries: bundle.searchQueries,
    anticipationUserId: bundle.anticipationUserId,
    anticipationCustomerId: bundle.anticipationCustomerId,
    anticipationConversationId: bundle.anticipationConversationId,
    searchKeywords: bundle.searchKeywords,
    bundleType: bundle.bundleType,
    conversationContext: bundle.conversationContext
      ? conversationContextToProto(bundle.conversationContext)
      : undefined,
    bundleConfidence: bundle.bundleConfidence,
    originPatternId: bundle.originPatternId ?? '',
    ttlHintSeconds: bundle.ttlHintSeconds,
    inReplyToEventId: bundle.inReplyToEventId ?? '',
  };
}

/**
 * Reads a bundle off the Listen stream. It goes through the JSON schema, so a pushed
 * bundle meets the same rules as a polled one (the five item types, scores within
 * 0..1); proto3's '' for an absent string reads as absent, and item lists under an
 * unknown type key are left out. Throws a zod error naming the path.
 */
export function contextBundleFromProto(proto: ContextBundleProto): ContextBundle {
  const itemsByType: Record<string, unknown[]> = {};
  for (const [type, list] of Object.entries(proto.itemsByType)) {
    itemsByType[type] = list.items.map(itemProtoToJson);
  }
  const context = proto.conversationContext;
  return contextBundleFromJson({
    bundle_id: proto.bundleId,
    decision_id: proto.decisionId,
    items_by_type: itemsByType,
    total_tokens: proto.totalTokens,
    token_budget: proto.tokenBudget,
    budget_exceeded: proto.budgetExceeded,
    retrieval_mode: proto.retrievalMode,
    sources_queried: proto.sourcesQueried,
    degradation_level: proto.degradationLevel,
    warnings: proto.warnings,
    created_at: proto.createdAt,
    retrieval_time_ms: proto.retrievalTimeMs,
    cache_hit: proto.cacheHit,
    search_queries: proto.searchQueries,
    anticipation_user_id: proto.anticipationUserId,
    anticipation_customer_id: proto.anticipationCustomerId,
    anticipation_conversation_id: proto.anticipationConversationId,
    search_keywords: proto.searchKeywords,
    bundle_type: proto.bundleType,
    conversation_context: context
      ? {
          summary: context.summary,
          current_state_json: context.currentStateJson,
          key_extractions_json: context.keyExtractionsJson,
          recent_turns: context.recentTurns.map((turn) => ({ ...turn })),
          compaction_id: context.compactionId,
          compacted_at: context.compactedAt,
          conversation_id: context.conversationId,
        }
      : undefined,
    bundle_confidence: proto.bundleConfidence,
    origin_pattern_id: proto.originPatternId,
    ttl_hint_seconds: proto.ttlHintSeconds,
    in_reply_to_event_id: proto.inReplyToEventId,
  });
}

function itemToJson(item: ContextItem): ItemJson {
  return withoutUndefined({
    item_id: item.itemId,
    content: item.content,
    context_type: item.contextType,
    source: item.source,
    similarity_score: item.similarityScore,
    relevance_score: item.relevanceScore,
    confidence: item.confidence,
    scope: item.scope,
    entity_id: item.entityId,
    created_at: item.createdAt,
    event_date: item.eventDate,
    valid_until: item.validUntil,
    temporal_category: item.temporalCategory,
    temporal_confidence: item.temporalConfidence,
  });
}

function itemFromJson(item: ItemJson): ContextItem {
  return withoutUndefined({
    itemId: item.item_id,
    content: item.content,
    contextType: item.context_type,
    source: item.source,
    similarityScore: item.similarity_score,
    relevanceScore: item.relevance_score,
    confidence: item.confidence,
    scope: item.scope,
    entityId: item.entity_id,
    createdAt: item.created_at,
    eventDate: item.event_date,
    validUntil: item.valid_until,
    temporalCategory: item.temporal_category ?? undefined,
    temporalConfidence: item.temporal_confidence,
  });
}

function itemToProto(item: ContextItem): ContextItemProto {
  return {
    itemId: item.itemId,
    content: item.content,
    contextType: item.contextType,
    source: item.source,
    similarityScore: item.similarityScore,
    relevanceScore: item.relevanceScore,
    confidence: item.confidence,
    scope: item.scope,
    entityId: item.entityId,
    createdAt: item.createdAt,
    eventDate: item.eventDate ?? '',
    validUntil: item.validUntil ?? '',
    temporalCategory: item.temporalCategory ?? '',
    temporalConfidence: item.temporalConfidence,
  };
}

function itemProtoToJson(item: ContextItemProto): Record<string, unknown> {
  return {
    item_id: item.itemId,
    content: item.content,
    context_type: item.contextType,
    source: item.source,
    similarity_score: item.similarityScore,
    relevance_score: item.relevanceScore,
    confidence: item.confidence,
    scope: item.scope,
    entity_id: item.entityId,
    created_at: item.createdAt,
    event_date: item.eventDate,
    valid_until: item.validUntil,
    // The schema's enum has no '' (proto3's "unset"); absent is what it means.
    temporal_category: item.temporalCategory || undefined,
    temporal_confidence: item.temporalConfidence,
  };
}

function conversationContextToJson(
  context: ConversationContext,
): z.output<typeof conversationContextJsonSchema> {
  return withoutUndefined({
    summary: context.summary,
    current_state_json: context.currentStateJson,
    key_extractions_json: context.keyExtractionsJson,
    recent_turns: context.recentTurns,
    compaction_id: context.compactionId,
    compacted_at: context.compactedAt,
    conversation_id: context.conversationId,
  });
}

function conversationContextToProto(context: ConversationContext): ConversationContextProto {
  return {
    summary: context.summary ?? '',
    currentStateJson: context.currentStateJson,
    keyExtractionsJson: context.keyExtractionsJson,
    recentTurns: context.recentTurns.map((turn) => ({ ...turn })),
    compactionId: context.compactionId ?? '',
    compactedAt: context.compactedAt ?? '',
    conversationId: context.conversationId,
  };
}

/**
 * Drops keys whose value is undefined, so JSON never carries them (nor `null`). It
 * copies rather than `delete`s: a delete turns the object into V8's slow dictionary
 * mode, which measured ~2x the memory per cached bundle.
 */
function withoutUndefined<T extends object>(value: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) copy[key] = field;
  }
  return copy as T;
}
