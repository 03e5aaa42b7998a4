import { completeMemory, type ExtractionRule } from './memory-draft.js';

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
  'dog|cat|puppy|kitten|horse|bird|rabbit|parrot';
const QUALIFIERS = 'new|old|current|former|little|big|older|younger|oldest|youngest|twin|step';
const NAME =
  '(?:Dr\\.? |Prof\\.? |Mr\\.? |Mrs\\.? |Ms\\.? )?\\p{Lu}\\p{Ll}+(?:[ -]\\p{Lu}\\p{Ll}+)?';
const CALENDAR =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b/;
// "my goddaughter Ivy turns 8", "our vet, Dr. Hale, …", "my sister's dog Waffles", "my
// new boss Dana".
const APPOSITION = new RegExp(
  `\\b([Mm]y|[Oo]ur)((?: [\\p{L}-]+'s?)?(?: (?:${QUALIFIERS}))? (?:${RELATIONS}))(?:,)? (${NAME})(?!\\p{L})`,
  'gu',
);

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
  const memories = [];
  for (const match of clause.text.matchAll(APPOSITION)) {
    const [, owner = '', relation = '', name = ''] = match;
    if (CALENDAR.test(name)) continue;
    const subject = `${owner.charAt(0).toUpperCase()}${owner.slice(1).toLowerCase()}${relation}`;
    memories.push(
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
  }
  return memories;
};
