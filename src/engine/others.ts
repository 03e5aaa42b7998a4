import type { Candidate } from './candidate-ranking.js';
import { AFTER_SUBJECT, CALENDAR_WORD } from './extraction/subject-words.js';

/** Grammar words that start a sentence with a capital and name no one. */
const GRAMMAR = new Set(
  (
    'I Im Ive Id My Our We The A An It Its This That These Those He She They His Her Their ' +
    'There Here Yes No Ok Okay Also And But So Just Now Then When If Is Was Has Had Will Can ' +
    'Does Did Got Always Never Only Still Every Each Some Any All Both'
  ).split(' '),
);
/** What a recurring subject's statements keep of their score when the event names it not. */
const OTHERS_SHARE = 0.6;

/**
 * The name a statement opens with, lower case, when the sentence reads as a subject and
 * its verb: "Rosa is allergic …", "Rosa's passport …", "Omar drives a Fiat". An opening
 * verb is no name ("Prefers hotels …", "Wants meetings …", "Felt stressed …"): a word in
 * -s whose stem is English is a verb, and a subject needs an auxiliary or a verb in -s
 * after it. `knownWord` says whether a lower-case word is English.
 */
export function openingName(
  text: string,
  knownWord: (word: string) => boolean = () => false,
): string | undefined {
  const match = /^(?:user: |assistant: )?(\p{Lu}[\p{L}-]+)('s)?\s+(\p{Ll}[\p{L}']*)/u.exec(text);
  if (!match) return undefined;
  const [, word = '', possessive, next = ''] = match;
  if (GRAMMAR.has(word) || CALENDAR_WORD.test(word)) return undefined;
  const name = word.toLowerCase();
  if (possessive) return name;
  if (AFTER_SUBJECT.test(next)) return name;
  // "Omar drives": a verb in -s after a word that is not one itself ("Wants meetings").
  const verbFirst = name.endsWith('s') && knownWord(name.slice(0, -1));
  // Not "anxious", "less" or "this": -ous, -ss, -us and -is end no verb.
  return /s$/.test(next) && !/(?:ss|us|is)$/.test(next) && !verbFirst ? name : undefined;
}

/**
 * Statements about someone else the event does not name: a name that opens two or more
 * of the user's memories ("Rosa is allergic to peanuts", "Rosa drives a Fiat") is a
 * person or thing of the user's life other than the user, and what it does matters to
 * an action only when the action names it (or the entity hop finds it named by a best
 * item). Those statements keep `OTHERS_SHARE` of their score.
 */
export function demoteOthers(
  candidates: readonly Candidate[],
  eventWords: ReadonlySet<string>,
  knownWord?: (word: string) => boolean,
): Candidate[] {
  const counts = new Map<string, number>();
  const names = candidates.map((candidate) =>
    candidate.item.source === 'memories'
      ? openingName(candidate.item.content, knownWord)
      : undefined,
  );
  for (const name of names) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  return candidates.map((candidate, at) => {
    const name = names[at];
    if (!name || (counts.get(name) ?? 0) < 2 || eventWords.has(name)) return candidate;
    const score = candidate.score * OTHERS_SHARE;
    return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
  });
}
