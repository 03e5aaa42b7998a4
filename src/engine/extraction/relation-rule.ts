import { wordVectors } from '../semantic/word-vectors.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';
import { AFTER_SUBJECT, CALENDAR_WORD } from './subject-words.js';

/**
 * The people, animals and providers of a user's life, as "my <relation> <Name>" names
 * them: kin, friends, the people who work with or for them, their pets.
 */
const RELATIONS =
  'mom|mum|mother|dad|father|parents?|son|daughter|kids?|child|children|brother|sister|' +
  'wife|husband|partner|fianc[eé]e?|boyfriend|girlfriend|aunt|uncle|cousin|niece|nephew|' +
  'grandma|grandmother|grandpa|grandfather|grandson|granddaughter|godson|goddaughter|' +
  'godmother|godfather|stepson|stepdaughter|in-laws?|friend|best friend|roommate|flatmate|' +
  'neighbou?r|boss|manager|colleague|coworker|co-worker|assistant|intern|report|' +
  'doctor|dentist|therapist|physio|vet|trainer|coach|teacher|tutor|advisor|adviser|' +
  'accountant|lawyer|landlord|landlady|nanny|babysitter|sitter|cleaner|mechanic|' +
  'cofounder|co-founder|founder|business partner|ceo|cto|cfo|lead|tech lead|team lead|' +
  'recruiter|contractor|plumber|electrician|handyman|groomer|walker|dog walker|realtor|' +
  'stylist|barber|hairdresser|pharmacist|surgeon|pediatrician|nurse|caregiver|gardener|' +
  'dog|cat|puppy|kitten|horse|bird|rabbit|parrot';
const QUALIFIERS = 'new|old|current|former|little|big|older|younger|oldest|youngest|twin|step';
const NAME =
  '(?:Dr\\.? |Prof\\.? |Mr\\.? |Mrs\\.? |Ms\\.? )?\\p{Lu}\\p{Ll}+(?:[ -]\\p{Lu}\\p{Ll}+)?';
// "my goddaughter Ivy turns 8", "our vet, Dr. Hale, …", "my sister's dog Waffles", "my
// new boss Dana".
const APPOSITION = new RegExp(
  `\\b([Mm]y|[Oo]ur)((?: [\\p{L}-]+'s?)?(?: (?:${QUALIFIERS}))? (?:${RELATIONS}))(?:,)? (${NAME})(?!\\p{L})`,
  'gu',
);

// The same with a name written in lower case, as chat writes it ("my cofounder amara
// handles ops"): the word after the relation, and the one after it.
const LOWER_APPOSITION = new RegExp(
  `\\b([Mm]y|[Oo]ur)((?: [\\p{L}-]+'s?)?(?: (?:${QUALIFIERS}))? (?:${RELATIONS})),? (\\p{Ll}[\\p{Ll}-]{2,})(?:'s)?(?!\\p{L})(?:\\s+(\\p{Ll}[\\p{Ll}']*))?`,
  'gu',
);
/** Below this frequency rank a lower-case word is English, not a name ("lives", "said"). */
const COMMON_RANK = 5000;
/** Below this one a stem is English: "wants" is "want" with an -s, not a name. */
const KNOWN_STEM_RANK = 20_000;

/** One relation a text names, and who it is. */
export interface RelationName {
  /** "My" or "Our", with the relation: "My goddaughter", "Our vet". */
  subject: string;
  name: string;
}

/**
 * The relations a text names in passing, with who they are: "my goddaughter Ivy", "our
 * vet, Dr. Hale", "my sister's dog Waffles", "my new boss Dana", and in lower case "my
 * cofounder amara handles ops" when the word reads as a name: no common English word,
 * no verb, followed by a verb or nothing.
 */
export function relationNames(
  text: string,
  rank: (word: string) => number = (word) => wordVectors().rank(word),
): RelationName[] {
  const found: RelationName[] = [];
  const subjectOf = (owner: string, relation: string) =>
    `${owner.charAt(0).toUpperCase()}${owner.slice(1).toLowerCase()}${relation}`;
  for (const match of text.matchAll(APPOSITION)) {
    const [, owner = '', relation = '', name = ''] = match;
    if (!CALENDAR_WORD.test(name)) found.push({ subject: subjectOf(owner, relation), name });
  }
  for (const match of text.matchAll(LOWER_APPOSITION)) {
    const [, owner = '', relation = '', name = '', next] = match;
    if (!readsAsName(name, next, rank)) continue;
    found.push({ subject: subjectOf(owner, relation), name });
  }
  return found;
}

function readsAsName(
  word: string,
  next: string | undefined,
  rank: (word: string) => number,
): boolean {
  if (rank(word) < COMMON_RANK) return false;
  const stems = [/s$/, /ed$/, /d$/, /ing$/].map((ending) => word.replace(ending, ''));
  if (stems.some((stem) => stem !== word && stem.length > 2 && rank(stem) < KNOWN_STEM_RANK)) {
    return false;
  }
  if (next === undefined) return true;
  return AFTER_SUBJECT.test(next) || /(?:[^su]s|ed)$/.test(next);
}

/**
 * Who is who, when a statement names a relation in passing ("my goddaughter Ivy turns 8
 * next month", "my mom Rosa is coming to Rome"): a fact of its own, "My goddaughter is
 * Ivy", that outlives what the statement was about (a birthday passes; Ivy stays the
 * goddaughter), and lets retrieval go from the relation an action names ("a gift for my
 * goddaughter") to what was said of the person by name ("Ivy has gone full axolotl").
 * Runs beside the other rules, never instead of them. A statement that already says
 * "my mom is Rosa" is the fact rule's.
 */
export const relationRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  return relationNames(clause.text).map(({ subject, name }) =>
    completeMemory(
      {
        memoryType: 'facts',
        content: `${subject} is ${name}`,
        confidence: 0.7,
        entityId: name,
        metadata: { rule: 'relation' },
      },
      message,
      clause,
    ),
  );
};
