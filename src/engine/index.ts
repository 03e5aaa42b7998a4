/**
 * The engine: anticipation (event → queries → retrieval → bundle) and compaction.
 * The server reaches it through this entry only.
 */
export type { AnticipationEvent, Anticipator } from './anticipator.js';
export { BaselineAnticipator, type BaselineAnticipatorOptions } from './baseline-anticipator.js';
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
export { memoryTypes, planQueries, type QueryPlan, words } from './query-planner.js';
export { capToBudget, DEFAULT_TOKEN_BUDGET } from './token-budget.js';
