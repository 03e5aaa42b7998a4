/** One clause of a user turn, with what every rule needs to know about it. */
export interface Clause {
  /** The clause, trimmed, without its final punctuation. */
  text: string;
  /** The whole sentence the clause came from (dates and scope markers may sit elsewhere in it). */
  sentence: string;
  /** True when the sentence asks something: questions state no facts about the user. */
  question: boolean;
  /** "I think", "maybe", "probably": the user is not sure, so confidence drops. */
  hedged: boolean;
  /** The sentence is about this conversation only ("for this trip", "just this once"). */
  conversationScoped: boolean;
}

/**
 * A question without its "?": an auxiliary then a subject ("can you", "do I"), or a
 * wh-word then an auxiliary ("what is", "whats" as chat writes it). A bare "When I
 * fly, …" is a statement.
 */
const QUESTION_START =
  /^(?:(?:do|does|did|can|could|would|will|should|shall|is|are|am|was|were|have|has)\s+(?:you|i|we|it|there|he|she|they|the|this|that|my|your)\b|(?:what|when|where|why|who|which|how)(?:'s\b|s\b|\s+(?:is|are|was|were|do|does|did|can|could|would|will|should|much|many|long|about)\b))/i;
const HEDGE = /\b(?:i think|i guess|maybe|probably|perhaps|i suppose|might)\b/i;
// Not "for now": "keep the bend under 90 degrees for now" holds until it changes, in
// every conversation, like any statement; it names no conversation.
const CONVERSATION_ONLY =
  /\b(?:for|on|during) this (?:trip|booking|order|reservation|conversation|chat|session|call|time|one)\b|\bjust this once\b/i;
/**
 * A declarative sentence ending in "?" or "??" is said with surprise or to check, not
 * asked: "turns out i'm allergic to latex??" states the allergy. It opens with the user
 * as the subject, the way no question does (a question inverts: "am I …?").
 */
const DECLARATIVE_START =
  /^(?:(?:so|turns out|apparently|guess what|ok|okay|well|and|but|also|btw)[,!]?\s+)*(?:i|i'm|i've|i'd|i'll|my|we|we're|we've|our)\b/i;

/**
 * Where a clause ends inside a sentence: ";", " but ", ", and/so I …", and a comma before
 * an instruction about the user ("I hate risky investments, keep me in index funds").
 */
const CLAUSE_BREAK =
  /;|\bbut\b|,\s*(?:and\s+|so\s+)?(?=(?:I|i|we)\b)|,\s*(?=(?:keep|put|get|give|book|send|make|find|show|leave|move|switch|set|sign) (?:me|us)\b)/i;

/**
 * Splits a turn into sentences, then into clauses at ";", " but " and ", and/so I":
 * "I moved to Lisbon, I live in Lisbon now" holds two statements, each read alone.
 */
/**
 * Where a sentence ends: after . ! or ? and a space, but not after a title or a common
 * abbreviation ("my advisor is Prof. Gutierrez", "Dr. Hale", "St. Mary's", "approx. 5").
 */
export const SENTENCE_END =
  /(?<!\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|St|Sr|Jr|Mt|Ave|Rd|No|vs|approx|e\.g|i\.e)\.)(?<=[.!?])\s+|\n+/i;

export function splitClauses(content: string): Clause[] {
  const clauses: Clause[] = [];
  // Typographic apostrophes (I’m) would hide every contraction from the rules.
  for (const raw of content.replace(/[’‘]/g, "'").split(SENTENCE_END)) {
    const sentence = raw.trim();
    if (sentence === '') continue;
    const question =
      QUESTION_START.test(sentence) ||
      (sentence.endsWith('?') && !DECLARATIVE_START.test(sentence));
    const hedged = HEDGE.test(sentence);
    const conversationScoped = CONVERSATION_ONLY.test(sentence);
    // Chat writes "i" as often as "I": "my ring size is 6.5 btw, i always forget".
    for (const part of sentence.split(CLAUSE_BREAK)) {
      for (const piece of splitConjoined(part)) {
        const text = piece.trim().replace(/[.!?,\s]+$/, '');
        if (text !== '') clauses.push({ text, sentence, question, hedged, conversationScoped });
      }
    }
  }
  return clauses;
}

/**
 * "… and I …", "…, and my …", "… and it has to …", "…, also …": where a second statement
 * starts. So does a comma before a named subject and its verb ("…, Anouk moved away",
 * "…, Tom's in Leeds now"): a statement about someone else, self-contained (no pronoun
 * loses its referent), and superseded or expired on its own. A name that a verb does not follow
 * is a list or an apposition ("Paris, Rome and Berlin"; "my brother, Sam, lives …").
 */
const NAMED_STATEMENT =
  ",\\s+(?=\\p{Lu}\\p{Ll}+(?:'s\\s|\\s+(?:is|was|has|had|will|can|does|did|isn't|wasn't|doesn't|didn't|won't|\\p{Ll}+ed)\\b))";
const CONJOINED = new RegExp(
  `,?\\s+(?:and|also|plus)\\s+(?=(?:I|I'm|I've|i|i'm|i've|my|our|we|it|it's|they|they're|there)\\b)|,\\s*(?:also\\s+)?(?=(?:my|our)\\b)|${NAMED_STATEMENT}`,
  'gu',
);

/**
 * The parts of a sentence that hold `text`, without the statements about someone else
 * that a comma joined to it: "through May 2 it's Bree watching the cats, Anouk moved
 * away" is dated by its first part only. The whole sentence when no part holds it.
 */
export function partsHolding(sentence: string, text: string): string {
  const parts = sentence.split(new RegExp(NAMED_STATEMENT, 'u'));
  const holding = parts.filter((part) => part.includes(text));
  return holding.length > 0 ? holding.join(', ') : sentence;
}
/** Shorter than this either side, "and" joins a subject ("my wife and I"), not statements. */
const MIN_SIDE_WORDS = 3;

/**
 * Splits "I always fly aisle seats and I am allergic to peanuts" into its statements,
 * so each becomes a memory of its own (and is superseded on its own). A split that
 * would leave a side shorter than three words is not made: "my wife and I love Rome"
 * is one statement.
 */
function splitConjoined(part: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of part.matchAll(CONJOINED)) {
    const left = part.slice(start, match.index);
    const right = part.slice(match.index + match[0].length);
    if (wordCount(left) >= MIN_SIDE_WORDS && wordCount(right) >= MIN_SIDE_WORDS) {
      pieces.push(left);
      start = match.index + match[0].length;
    }
  }
  pieces.push(part.slice(start));
  return pieces;
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** A stable key from free text: "Aisle Seats!" → "aisle_seats". */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The value a rule captured, without trailing time words and filler ("Lisbon now" → "Lisbon"). */
export function cleanValue(text: string): string {
  return text
    .replace(/[,;:(].*$/, '')
    .replace(
      /\s+\b(?:now|these days|at the moment|currently|anymore|too|as well|nowadays|right now)\b.*$/i,
      '',
    )
    .replace(/\s+\b(?:since|for|because|as|until|when|which|who)\b.*$/i, '')
    .trim();
}
