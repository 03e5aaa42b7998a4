/**
 * What client and server share about the wire: the camelCase bundle type, its codecs
 * (proto, JSON), and the memory types and scopes. Generated code stays behind the codecs.
 */
export {
  type ContextBundleJson,
  contextBundleFromJson,
  contextBundleToJson,
  contextBundleToProto,
} from './bundle-codec.js';
export type {
  BundleType,
  ContextBundle,
  ContextItem,
  ConversationContext,
  DegradationLevel,
  RecentTurn,
} from './context-bundle.js';
export {
  KEY_EXTRACTION_CONFIDENCE,
  type KeyExtractionItem,
  type KeyExtractions,
  toKeyExtractions,
} from './key-extractions.js';
export { MEMORY_TYPES, type MemoryType, SCOPES, type Scope } from './memory-types.js';
