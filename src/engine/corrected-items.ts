import type { Candidate } from './candidate-ranking.js';
import { words } from './query-planner.js';

// Words that say a statement replaces an earlier one. "new" alone is too common ("I
// need a new laptop") to mark a correction, and "for now" adds to what was said
// ("Renata wants the bend under 90 degrees for now" corrects nothing about Renata).
const CORRECTION =
  /\b(?:(?<!\b(?:for|just|until|till|up to) )now|moved|changed|switched|instead|no longer|anymore|rescheduled|postponed|updated|upgraded|renewed|migrated|promoted|replaced)\b/i;
// Shorter shared words ("fly", "car") are too generic to say two statements are about
// the same thing.
const MIN_SUBJECT_CHARS = 4;

/**
 * Drops items that a later item corrects. Extraction supersedes what it understood,
 * by subject key; what it did not ("my salary is 72k", then "my salary is now 85k";
 * a memory "Lives in Berlin", then "I moved from Berlin to Lisbon") would otherwise be
 * served next to its correction. An item goes when a newer item (message or memory)
 * carries a correction word and shares a subject word with it.
 */
export function dropCorrected(candidates: readonly Candidate[]): Candidate[] {
  const corrections = candidates
    .filter((candidate) => CORRECTION.test(candidate.item.content))
    .map((candidate) => ({
      createdAt: candidate.item.createdAt,
      subjects: new Set(subjectWords(candidate.item.content)),
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

function subjectWords(text: string): string[] {
  // A message item reads "user: …": the role is no subject.
  return words(text.replace(/^(?:user|assistant): /, '')).filter(
    (word) => word.length >= MIN_SUBJECT_CHARS && !CORRECTION.test(word),
  );
}
