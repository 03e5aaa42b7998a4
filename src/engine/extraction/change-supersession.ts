import type { MemoryRecord, NewMemory } from '../../store/records.js';
import type { SemanticSimilarity } from '../semantic/semantic-similarity.js';
import { semanticWords, stem } from '../semantic/semantic-similarity.js';

/**
 * Words that say a statement replaces an earlier one: "I see Dr Ruiz these days",
 * "switched to Tidal", "no longer at Acme", "it's BlueCross now". Not "new" or
 * "started": "I need a new charger" changes nothing. Nor "for now" or "just now":
 * "Renata wants the bend under 90 degrees for now" adds to what was said of Renata.
 */
const CHANGE =
  /\b(?:(?<!\b(?:for|just|until|till|up to) )now|these days|nowadays|no longer|not anymore|anymore|any more|instead|switched|switching|moved|changed|changing|replaced|upgraded|downgraded|quit|from now on|going forward)\b/i;
/**
 * The verbs among them: they change what their subject is about, and the subject may
 * be someone else's ("the tenant moved out, needs turnover" changes no standard paint
 * colour for turnovers). The adverbs ("now", "instead") say the statement as a whole
 * holds in place of an earlier one, whoever it is about.
 */
const CHANGE_VERB =
  /\b(?:switched|switching|moved|changed|changing|replaced|upgraded|downgraded|quit)\b/i;
const CHANGE_ADVERB =
  /\b(?:(?<!\b(?:for|just|until|till|up to) )now|these days|nowadays|no longer|not anymore|anymore|any more|instead|from now on|going forward)\b/i;
/** The user as the subject of the change verb: "I moved", "we've just switched". */
const USER_SUBJECT = /\b(?:i|we)(?:'ve|\s+have)?(?:\s+(?:just|finally|already|recently))?\s*$/i;
const CUE_WORDS = new Set(
  'now these days nowadays longer anymore instead switched switching moved changed changing replaced upgraded downgraded quit going forward'
    .split(' ')
    .map(stem),
);
/** How close two statements must be for the later to replace the earlier. */
const MIN_CLOSENESS = 0.5;
const REPLACEABLE = new Set(['facts', 'preferences']);

/**
 * Supersession by meaning, for changes extraction has no subject key for. A new fact
 * or preference that says something changed replaces the same owner's current
 * statement closest to it, if close enough: they share a word that is not a change
 * cue ("Aetna through work" → "new job, so it's BlueCross now": card, insurance), or
 * their words are near in meaning. Keyed memories are left to their keys.
 * Sets `supersedes` on the new memories; answers them.
 */
export function hasChangeCue(memory: NewMemory): boolean {
  return REPLACEABLE.has(memory.memoryType) && CHANGE.test(memory.content);
}

export function markChanges(
  memories: NewMemory[],
  current: readonly MemoryRecord[],
  semantic: SemanticSimilarity | undefined,
): NewMemory[] {
  for (const memory of memories) {
    if (!hasChangeCue(memory)) continue;
    const subject = changedSubject(memory.content);
    let best: { id: string; closeness: number } | undefined;
    for (const old of current) {
      if (
        !REPLACEABLE.has(old.memoryType) ||
        old.userId !== memory.userId ||
        old.customerId !== memory.customerId ||
        old.supersededBy !== null ||
        (memory.subjectKey !== '' && old.subjectKey === memory.subjectKey)
      ) {
        continue;
      }
      const closeness = subject
        ? statementCloseness(subject, old.content, undefined)
        : statementCloseness(memory.content, old.content, semantic);
      if (closeness >= MIN_CLOSENESS && closeness > (best?.closeness ?? 0)) {
        best = { id: old.id, closeness };
      }
    }
    if (best) memory.supersedes = [...(memory.supersedes ?? []), best.id];
  }
  return memories;
}

/**
 * 0..1: a shared word that is no change cue counts 0.6 (and more for several); else the
 * mean closeness in meaning of the new statement's words to the old one's.
 */
export function statementCloseness(
  next: string,
  previous: string,
  semantic: SemanticSimilarity | undefined,
): number {
  const nextStems = new Set(
    semanticWords(next)
      .map(stem)
      .filter((word) => !CUE_WORDS.has(word)),
  );
  const previousStems = new Set(semanticWords(previous).map(stem));
  let shared = 0;
  for (const word of nextStems) if (previousStems.has(word)) shared++;
  if (shared > 0) return Math.min(1, 0.5 + 0.1 * shared);
  if (!semantic) return 0;
  const nextWords = semantic.textWords(next);
  const previousWords = semantic.textWords(previous);
  let total = 0;
  let counted = 0;
  nextWords.vectors.forEach((vector, at) => {
    if (!vector || CUE_WORDS.has(nextWords.stems[at] ?? '')) return;
    total += semantic.closeness(vector, previousWords.vectors);
    counted++;
  });
  return counted > 0 ? total / counted : 0;
}

/**
 * What a change verb changes when someone other than the user is its subject: the words
 * before it in its clause ("Anouk" in "…, Anouk moved away"), which the replaced
 * statement must share; closeness in meaning is no evidence then. Undefined when the
 * change is the user's ("I switched to …") or said by an adverb ("… now"): the whole
 * statement is compared.
 */
export function changedSubject(content: string): string | undefined {
  if (CHANGE_ADVERB.test(content)) return undefined;
  const verb = CHANGE_VERB.exec(content);
  if (!verb) return undefined;
  const before = content.slice(0, verb.index);
  // No subject before the verb ("Moved to Lisbon", as extraction words it): the user's.
  const subject = (before.split(/[,;:]/).pop() ?? '').trim();
  if (subject === '' || USER_SUBJECT.test(before)) return undefined;
  // "Rosa had her hip replaced", "I got my number changed": what changed is the object,
  // not who had it done.
  const done = CAUSATIVE.exec(subject);
  return done?.[1] ?? subject;
}

/** "<someone> had/got <something> <changed>": the something, as the verb's object. */
const CAUSATIVE = /\b(?:had|has|have|having|got|gets|get|getting)\s+(.+)$/i;
