/**
 * Extraction: conversation turns → memories (facts, preferences, temporal events,
 * emotions, episodes). `RuleExtractor` is the offline default.
 */
export type { Clause } from './clause.js';
export { type DateMention, findDate } from './date-mention.js';
export { emotionRule } from './emotion-rule.js';
export { episodeRule } from './episode-rule.js';
export type { ExtractionInput, Extractor } from './extractor.js';
export { factRule } from './fact-rule.js';
export type { ExtractionRule } from './memory-draft.js';
export { type PreferenceCategory, preferenceCategory } from './preference-category.js';
export { preferenceRule } from './preference-rule.js';
export { DEFAULT_RULES, RuleExtractor, type RuleExtractorOptions } from './rule-extractor.js';
export { temporalRule } from './temporal-rule.js';
