import { semanticWords } from '../semantic/semantic-similarity.js';
import { wordVectors } from '../semantic/word-vectors.js';
import { slug } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

/**
 * Clauses addressed to the assistant (requests, thanks, "explain …", "compare …") state
 * nothing about the user.
 */
const ADDRESSED =
  /^(?:(?:and|so|also|ok|okay|great|cool|thanks|thank you)[,!]?\s+)*(?:(?:can|could|would|will) you|please|help me|remind me|book me|find me|show me|tell me|give me|send me|let me know|let's|lets|thanks|thank you|no worries|sounds good|that works|perfect|great|awesome|got it|hi|hello|hey|explain|describe|summari[sz]e|compare|recommend|suggest|translate|calculate|draft|rewrite|outline|define|walk me through)\b/i;
/** "My dentist is Dr Patel", "our landlord is Mr Kim": an attribute and its value. */
const ATTRIBUTE =
  /\b(?:my|our) ((?:[\p{L}-]+ ){0,2}?[\p{L}-]+) (?:is|are|'s|has become|became|is now|are now)\b/iu;
/** Words that qualify an attribute without changing which one it is. */
const QUALIFIERS =
  /\b(?:new|current|old|usual|regular|main|previous|former|usual|favou?rite)\b\s*/gi;
/** Fewer content words than this is small talk ("sounds fine", "me too"). */
const MIN_WORDS = 3;
/**
 * A clause in the first person: the user says something of themselves, or did something,
 * the way chat drops the "I" ("signed up for pottery", "got the promotion").
 */
const FIRST_PERSON =
  /^(?:i|i'm|im|i've|i'd|i'll|i am|we|we're|we've|my|our)\b|^(?:\p{L}{3,}ed|got|went|bought|took|made|joined|started|switched|signed)\b/iu;
/**
 * "can you save my known traveler number": a request to remember is a statement; the
 * request itself is left out of what is remembered.
 */
const REMEMBER =
  /^(?:(?:can|could|would|will) you|please)\s+(?:please\s+)?(?:save|remember|note|store|keep)\s+(?:(?:that|this|it)\s+)?/i;
/** A value said alone, as after a request to remember it: "TT7Q29XK4", "K-2291-PL". */
const IDENTIFIER = /^(?=[\p{L}\d-]*\d)(?=[\p{L}\d-]*\p{L})[\p{L}\d-]{5,}$/u;
/** A requirement ("we need a child seat", "it has to run Linux"): no small talk, however short. */
const REQUIREMENT =
  /\b(?:has to|have to|must|needs?|required?|requires|can't|cannot|can not|only)\b/i;
/**
 * A capitalised word after the first: a name ("We use Okta", "I bank with Chase"), or an
 * acronym ("SSO"). A longer word in capitals is emphasis ("we are FINALLY done").
 */
const NAME_INSIDE = /\s(?!I\b|I')(?:\p{Lu}\p{Ll}|\p{Lu}{2,4}\b)/u;
/**
 * A word past this frequency rank in English at large is no small talk: "I'm deaf" or
 * "I'm diabetic" is said in two words, "I'm fine" or "I'm back" in as many.
 */
const RARE_RANK = 5000;

/**
 * Everything else a user states: a clause that no specific rule understood but that
 * says something ("my dog panics in kennels", "Ms Okafor only takes cash") becomes a
 * fact of its own, in the user's words, so it can be found by meaning later. Questions,
 * requests and thanks to the assistant are skipped. "My <attribute> is <value>" keys
 * the fact by its attribute, so a later value of the same attribute replaces it.
 * Runs only on clauses no other rule took (rule-extractor.ts).
 */
export const statementRule: ExtractionRule = (clause, message) => {
  if (!REMEMBER.test(clause.text) && (clause.question || ADDRESSED.test(clause.text))) return [];
  const attribute = ATTRIBUTE.exec(clause.text)?.[1]?.replace(QUALIFIERS, '').trim() ?? '';
  // "My ring size is 6.5" is short, and no small talk: an attribute has a value. Nor are
  // "we need a child seat", "I'm dyslexic" or "We use Okta".
  if (
    !attribute &&
    !IDENTIFIER.test(clause.text) &&
    semanticWords(clause.text).length < MIN_WORDS &&
    !describesSelf(clause.text)
  ) {
    return [];
  }
  const text = clause.text
    .replace(/^(?:and|so|also|oh|btw|by the way)[,\s]+/i, '')
    .replace(REMEMBER, '');
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

/**
 * A short clause worth keeping: a requirement with something required, or a
 * first-person statement that names something or says it in a rare word.
 */
function describesSelf(text: string): boolean {
  const words = semanticWords(text);
  if (REQUIREMENT.test(text)) return words.length > 0;
  if (!FIRST_PERSON.test(text)) return false;
  if (NAME_INSIDE.test(text)) return true;
  const vectors = wordVectors();
  return words.some((word) => vectors.rank(word) >= RARE_RANK);
}
