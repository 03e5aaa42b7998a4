/**
 * The engine: anticipation (event → queries → retrieval → bundle) and compaction.
 * The server reaches it through this entry only.
 */
export type { AnticipationEvent, Anticipator } from './anticipator.js';
export {
  BaselineCompactor,
  type CompactionInput,
  type CompactionResult,
  type Compactor,
  compactionTokenCounts,
  DEFAULT_TARGET_TOKENS,
  formatCompaction,
} from './baseline-compactor.js';
export { type ConversationOwner, ownsConversation } from './conversation-owners.js';
export {
  type ExtractionInput,
  type Extractor,
  hasChangeCue,
  ModelExtractor,
  type ModelExtractorOptions,
  markChanges,
  RuleExtractor,
  type RuleExtractorOptions,
} from './extraction/index.js';
export { MemoryAnticipator, type MemoryAnticipatorOptions } from './memory-anticipator.js';
export {
  ModelCompactor,
  type ModelCompactorOptions,
  modelCompactionSchema,
} from './model-compactor.js';
export { memoryTypes, planQueries, type QueryPlan, words } from './query-planner.js';
export { SemanticSimilarity } from './semantic/semantic-similarity.js';
export { capToBudget, DEFAULT_TOKEN_BUDGET } from './token-budget.js';
export { estimateTokens } from './token-estimate.js';
