import type { ContextBundle } from '../protocol/context-bundle.js';

// Fitted with bench/client-cache.bench.ts to the heap that decoded bundles of 0 to 20
// items hold (64-bit Node 22, objects in fast mode): a V8 string costs a 16-byte header
// plus a byte a Latin-1 character, rounded to 8; decoded strings are each their own copy,
// enum-like ones ('facts', 'user') included. The fixed costs cover the objects, arrays
// and fractional numbers (16 bytes each) of a bundle, item and turn.
const STRING_BYTES = 20;
const BUNDLE_BYTES = 800; // the bundle, its arrays, itemsByType, conversationContext
const ITEM_BYTES = 224; // fourteen fields, four fractional scores
const TURN_BYTES = 64;
const ENTRY_BYTES = 256; // the cache's own: entry, slot, LRU bookkeeping

/**
 * The estimated heap, in bytes, that storing a bundle holds: string lengths plus fixed
 * costs a bundle, item and turn, computed once on `put`. Text outside Latin-1 takes two
 * bytes a character in V8, so such bundles are under-counted by up to half.
 */
export function estimateBundleBytes(bundle: ContextBundle): number {
  let bytes = BUNDLE_BYTES + ENTRY_BYTES;
  bytes += text(bundle.bundleId) + text(bundle.decisionId) + text(bundle.createdAt);
  bytes += text(bundle.anticipationUserId) + text(bundle.anticipationCustomerId);
  bytes += text(bundle.anticipationConversationId) + text(bundle.bundleType);
  bytes += text(bundle.retrievalMode) + text(bundle.degradationLevel);
  bytes += text(bundle.originPatternId) + text(bundle.inReplyToEventId);
  bytes += texts(bundle.sourcesQueried) + texts(bundle.warnings);
  bytes += texts(bundle.searchQueries) + texts(bundle.searchKeywords);
  for (const items of Object.values(bundle.itemsByType)) {
    for (const item of items ?? []) {
      bytes += ITEM_BYTES + text(item.itemId) + text(item.content) + text(item.contextType);
      bytes += text(item.source) + text(item.scope) + text(item.entityId);
      bytes += text(item.createdAt) + text(item.eventDate) + text(item.validUntil);
      bytes += text(item.temporalCategory);
    }
  }
  const context = bundle.conversationContext;
  if (context !== undefined) {
    bytes += text(context.summary) + text(context.currentStateJson);
    bytes += text(context.keyExtractionsJson) + text(context.compactionId);
    bytes += text(context.compactedAt) + text(context.conversationId);
    for (const turn of context.recentTurns) {
      bytes += TURN_BYTES + text(turn.role) + text(turn.content) + text(turn.timestamp);
    }
  }
  return bytes;
}

function text(value: string | undefined): number {
  return value === undefined || value === '' ? 0 : STRING_BYTES + value.length;
}

function texts(values: readonly string[]): number {
  let bytes = 0;
  for (const value of values) bytes += 8 + text(value);
  return bytes;
}
