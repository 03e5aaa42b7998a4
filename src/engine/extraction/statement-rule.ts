import { semanticWords } from '../semantic/semantic-similarity.js';
import { slug } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

/** Clauses addressed to the assistant (requests, thanks) state nothing about the user. */
const ADDRESSED =
  /^(?:(?:and|so|also|ok|okay|great|cool|thanks|thank you)[,!]?\s+)*(?:(?:can|could|would|will) you|please|help me|remind me|book me|find me|show me|tell me|give me|send me|let me know|let's|lets|thanks|thank you|no worries|sounds good|that works|perfect|great|awesome|got it|hi|hello|hey)\b/i;
/** "My dentist is Dr Patel", "our landlord is Mr Kim": an attribute and its value. */
const ATTRIBUTE =
  /\b(?:my|our) ((?:[\p{L}-]+ ){0,2}?[\p{L}-]+) (?:is|are|'s|has become|became|is now|are now)\b/iu;
/** Words that qualify an attribute without changing which one it is. */
const QUALIFIERS =
  /\b(?:new|current|old|usual|regular|main|previous|former|usual|favou?rite)\b\s*/gi;
/** Fewer content words than this is small talk ("sounds fine", "me too"). */
const MIN_WORDS = 3;

/**
 * Everything else a user states: a clause that no specific rule understood but that
 * says something ("my dog panics in kennels", "Ms Okafor only takes cash") becomes a
 * fact of its own, in the user's words, so it can be found by meaning later. Questions,
 * requests and thanks to the assistant are skipped. "My <attribute> is <value>" keys
 * the fact by its attribute, so a later value of the same attribute replaces it.
 * Runs only on clauses no other rule took (rule-extractor.ts).
 */
export const statementRule: ExtractionRule = (clause, message) => {
  if (clause.question || ADDRESSED.test(clause.text)) return [];
  const attribute = ATTRIBUTE.exec(clause.text)?.[1]?.replace(QUALIFIERS, '').trim() ?? '';
  // "My ring size is 6.5" is short, and no small talk: an attribute has a value.
  if (!attribute && semanticWords(clause.text).length < MIN_WORDS) return [];
  const text = clause.text.replace(/^(?:and|so|also|oh|btw|by the way)[,\s]+/i, '');
  return [
    completeMemory(
      {
        memoryType: 'facts',
        content: text.charAt(0).toUpperCase() + text.slice(1),
        confidence: 0.6,
        subjectKey: attribute ? `attribute:${slug(attribute)}` : '',
        metadata: { rule: 'statement' },
      },
      message,
      clause,
    ),
  ];
};
