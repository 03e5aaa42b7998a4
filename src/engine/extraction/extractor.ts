import type { MessageRecord, NewMemory } from '../../store/records.js';

/** What an extractor reads: turns of one conversation, in recording order. */
export interface ExtractionInput {
  messages: MessageRecord[];
}

/**
 * Turns conversation messages into memories (facts, preferences, episodes, emotions,
 * temporal events). The rule-based `RuleExtractor` is the offline default; an LLM
 * extractor plugs in behind the same interface.
 */
export interface Extractor {
  extract(input: ExtractionInput): Promise<NewMemory[]>;
}
