/**
 * Extraction: conversation turns → memories (facts, preferences, temporal events,
 * emotions, episodes). `RuleExtractor` is the offline default.
 */
export {
  changedSubject,
  hasChangeCue,
  markChanges,
  statementCloseness,
} from './change-supersession.js';
export type { Clause } from './clause.js';
export { type DateMention, findDate } from './date-mention.js';
export { EMOTION_TTL_MS, emotionRule } from './emotion-rule.js';
export { episodeRule } from './episode-rule.js';
export { eventSubjectKey } from './event-subject.js';
export type { ExtractionInput, Extractor } from './extractor.js';
export { factRule } from './fact-rule.js';
export type { ExtractionRule } from './memory-draft.js';
export { ModelExtractor, type ModelExtractorOptions } from './model-extractor.js';
export {
  type DropReason,
  type ModelMemory,
  modelAnswerSchema,
  modelMemorySchema,
  toNewMemory,
} from './model-memory.js';
export {
  PREFERENCE_CATEGORIES,
  type PreferenceCategory,
  preferenceCategory,
} from './preference-category.js';
export { preferenceRule } from './preference-rule.js';
export { DEFAULT_RULES, RuleExtractor, type RuleExtractorOptions } from './rule-extractor.js';
export { statementRule } from './statement-rule.js';
export { type StatementKeys, statementKeys } from './subject-keys.js';
export { temporalRule } from './temporal-rule.js';
export { findValidity, type Validity } from './validity.js';
