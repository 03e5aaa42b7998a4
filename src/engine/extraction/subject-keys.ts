import type { MessageRecord } from '../../store/records.js';
import { splitClauses } from './clause.js';
import { factRule } from './fact-rule.js';
import { preferenceRule } from './preference-rule.js';

/** What the fact and preference rules say a sentence is about. */
export interface StatementKeys {
  /** Subject keys of the facts the sentence states ("home_city"). */
  facts: string[];
  /** Subject keys of the preferences it states ("preference:aisle_seats"). */
  preferences: string[];
}

/**
 * The subject keys of the facts and preferences a user sentence states, by the same
 * rules as extraction: "I moved to Lisbon" answers `home_city`, like "I live in Porto"
 * did, so a summary that keeps sentences can let the newer one replace the older.
 */
export function statementKeys(sentence: string, message: MessageRecord): StatementKeys {
  const facts = new Set<string>();
  const preferences = new Set<string>();
  if (message.role === 'user') {
    for (const clause of splitClauses(sentence)) {
      for (const memory of factRule(clause, message))
        if (memory.subjectKey) facts.add(memory.subjectKey);
      for (const memory of preferenceRule(clause, message))
        if (memory.subjectKey) preferences.add(memory.subjectKey);
    }
  }
  return { facts: [...facts], preferences: [...preferences] };
}
