import type { Candidate } from './candidate-ranking.js';
import { words } from './query-planner.js';

// Words that say a statement replaces an earlier one. "new" alone is too common ("I
// need a new laptop") to mark a correction, and "for now" adds to what was said
// ("Renata wants the bend under 90 degrees for now" corrects nothing about Renata).
const CORRECTION =
  /\b(?:(?<!\b(?:for|just|until|till|up to) )now|moved|changed|switched|instead|no longer|anymore|rescheduled|postponed|updated|upgraded|renewed|migrated|promoted|replaced)\b/i;
const CORRECTIONS = new RegExp(CORRECTION.source, 'gi');
// Shorter shared words ("fly", "car") are too generic to say two statements are about
// the same thing.
const MIN_SUBJECT_CHARS = 4;
/**
 * What a correction corrects sits next to its word: "my salary is now 85k", "moved from
 * Berlin". Farther off is what else the sentence says: in "Rosa had her hip replaced a
 * while back", Rosa is who it happened to, not what was replaced.
 */
const SUBJECT_REACH = 3;

/**
 * Drops items that a later item corrects. Extraction supersedes what it understood,
 * by subject key; what it did not ("my salary is 72k", then "my salary is now 85k";
 * a memory "Lives in Berlin", then "I moved from Berlin to Lisbon") would otherwise be
 * served next to its correction. An item goes when a newer item (message or memory)
 * carries a correction word and shares with it a subject word said next to that word.
 */
export function dropCorrected(candidates: readonly Candidate[]): Candidate[] {
  const corrections = candidates
    .filter((candidate) => CORRECTION.test(candidate.item.content))
    .map((candidate) => ({
      createdAt: candidate.item.createdAt,
      subjects: new Set(correctedWords(candidate.item.content)),
    }));
  if (corrections.length === 0) return [...candidates];
  return candidates.filter((candidate) => {
    const subjects = subjectWords(candidate.item.content);
    return !corrections.some(
      (correction) =>
        correction.createdAt > candidate.item.createdAt &&
        subjects.some((word) => correction.subjects.has(word)),
    );
  });
}

/** The subject words next to each correction word of a text. */
function correctedWords(text: string): string[] {
  const body = text.replace(/^(?:user|assistant): /, '');
  const tokens = [...body.matchAll(/\S+/g)];
  const near = new Set<number>();
  // Matches come in order: one pass over the tokens finds where each sits.
  let at = 0;
  for (const match of body.matchAll(CORRECTIONS)) {
    while (at < tokens.length - 1 && (tokens[at + 1]?.index ?? 0) <= match.index) at++;
    const from = Math.max(0, at - SUBJECT_REACH);
    for (let index = from; index <= at + SUBJECT_REACH && index < tokens.length; index++) {
      near.add(index);
    }
  }
  return subjectWords([...near].map((index) => tokens[index]?.[0] ?? '').join(' '));
}

function subjectWords(text: string): string[] {
  // A message item reads "user: …": the role is no subject.
  return words(text.replace(/^(?:user|assistant): /, '')).filter(
    (word) => word.length >= MIN_SUBJECT_CHARS && !CORRECTION.test(word),
  );
}
