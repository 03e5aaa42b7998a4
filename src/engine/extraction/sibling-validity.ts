import type { Clause } from './clause.js';
import type { Validity } from './validity.js';

/**
 * A clause that says when something else stops holding refers back to it: "while
 * we're there", "till then", "during that window". It holds as long as the clause
 * before it that named an end.
 */
const REFERS_BACK =
  /\b(?:while (?:we're|we are|i'm|i am|they're|they are|she's|she is|he's|he is|you're|you are) (?:there|away|gone|out|off|here)|(?:till|until|til) then|during that (?:time|window|period|week|stretch)|in that (?:window|period|time)|in the meantime|meanwhile)\b/i;

/** Things that hold for a time: what a clause naming only an end may be about. */
const TIME_BOUND =
  'promo|promotion|offer|deal|trial|discount|sale|rate|price|leave|freeze|ban|restriction|pass|subscription|membership|warranty|coverage|credit|cover|hold';

/**
 * What a clause that only dates something is about when it names nothing of its own:
 * a pronoun ("…, couldn't get out of it"), or a word for a time-bound thing ("promo
 * lasts through June 3" after "got the card for the 0% intro APR").
 */
const POINTS_BACK = new RegExp(
  `^(?:it|it's|its|that|that's|this|they|they're|which|the|my|our)?\\s*(?:${TIME_BOUND})\\b|\\b(?:it|that|this|they|them)\\b`,
  'i',
);
/** Words that may start such a clause with a capital without naming anyone. */
const SENTENCE_STARTERS = new RegExp(
  `^(?:it|it's|its|that|that's|this|they|they're|which|the|my|our|no|${TIME_BOUND})$`,
  'i',
);
/** Longer than this, what is left beside the dates is a statement of its own. */
const MAX_ANNOTATION_WORDS = 6;

/**
 * The end each clause of one user turn holds to, given the ends the clauses name
 * themselves (`own`, same order). Two neighbours share one:
 * - a clause naming none takes the end of the closest clause before it that names
 *   one, when it refers back to it ("we're at the lake house for the next two weeks!!
 *   anything I order while we're there goes to 77 Birch Point Rd");
 * - a clause that is little more than an end, and points back ("promo lasts through
 *   June 3", "December 9 through December 11, couldn't get out of it"), gives it to
 *   the clause just before it, when that one names none ("got summoned for jury duty").
 * A clause with an end of its own keeps it.
 */
export function siblingValidities(
  clauses: readonly Clause[],
  own: readonly (Validity | null)[],
): (Validity | null)[] {
  const result = [...own];
  clauses.forEach((clause, at) => {
    const validity = own[at];
    if (validity && at > 0 && own[at - 1] === null && isAnnotation(clause.text, validity)) {
      result[at - 1] = validity;
    }
  });
  clauses.forEach((clause, at) => {
    if (result[at] !== null || !REFERS_BACK.test(clause.text)) return;
    for (let before = at - 1; before >= 0; before--) {
      const earlier = result[before];
      if (earlier) {
        result[at] = earlier;
        return;
      }
    }
  });
  return result;
}

/** The clause without its end is short, names no one, and points back. */
function isAnnotation(text: string, validity: Validity): boolean {
  const rest = text
    .replace(validity.text, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .trim();
  if (rest === '') return true;
  const words = rest.split(/\s+/);
  if (words.length > MAX_ANNOTATION_WORDS) return false;
  // A name or a number beside the end is what the end is about: a statement of its own
  // ("Tom borrows it until December 1"). A capital that only starts the sentence is none.
  const named = words.some(
    (word, at) => /^\p{Lu}/u.test(word) && !(at === 0 && SENTENCE_STARTERS.test(word)),
  );
  if (named || /\d/.test(rest)) return false;
  return POINTS_BACK.test(rest);
}
