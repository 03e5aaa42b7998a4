import type { Candidate } from './candidate-ranking.js';
import { semanticWords, stem } from './semantic/semantic-similarity.js';

/** How many of the best items are reordered (twice a bundle's items); the rest stay below. */
const WINDOW = 20;
/** How much a word-for-word repeat of an item already above takes off a score. */
const REPEAT_PENALTY = 0.5;

/**
 * Best first, with repeats moved down: an item that says, word for word, much of what
 * an item above it says loses up to half its score by how much of it is shared (the
 * share of their words in common, maximal marginal relevance). "Dentist appointment on
 * Sunday at 13:00", "… on Thursday at 16:00", "… on Friday at 13:00" took three places
 * of a bundle for one thing; the first stays, the others make room for what else the
 * event needs, and come after it if nothing does. Answers the candidates rescored.
 */
export function spreadRepeats(
  ranked: readonly Candidate[],
  /** A text's stems; the anticipator's are compiled once per memory and cached. */
  stemsOf: (candidate: Candidate) => readonly string[] = (candidate) =>
    semanticWords(candidate.item.content).map(stem),
): Candidate[] {
  const window = ranked.slice(0, WINDOW);
  if (window.length < 2) return [...ranked];
  const words = window.map((candidate) => wordSet(stemsOf(candidate)));
  const picked: number[] = [];
  const adjusted = new Map<number, number>();
  const left = new Set(window.keys());
  // The most each item left shares with one picked so far, kept up to date as items are
  // picked: one comparison per pair, not one per pair and round.
  const overlap = window.map(() => 0);
  while (left.size > 0) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const at of left) {
      const score = (window[at] as Candidate).score * (1 - REPEAT_PENALTY * (overlap[at] ?? 0));
      if (score > bestScore) {
        bestScore = score;
        best = at;
      }
    }
    left.delete(best);
    picked.push(best);
    adjusted.set(best, bestScore);
    const bestWords = words[best] as Set<string>;
    for (const at of left) {
      overlap[at] = Math.max(overlap[at] ?? 0, shared(words[at] as Set<string>, bestWords));
    }
  }
  const rescored = picked.map((at) => {
    const candidate = window[at] as Candidate;
    const score = adjusted.get(at) ?? candidate.score;
    if (score === candidate.score) return candidate;
    return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
  });
  return [...rescored, ...ranked.slice(WINDOW)];
}

/** Sets by the stems array they were made of: compiled stems are cached per memory. */
const sets = new WeakMap<readonly string[], Set<string>>();

function wordSet(stems: readonly string[]): Set<string> {
  let set = sets.get(stems);
  if (!set) {
    set = new Set(stems);
    sets.set(stems, set);
  }
  return set;
}

/** Words in common over words in either (Jaccard), 0 for two empty texts. */
function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const word of a) if (b.has(word)) common++;
  return common / (a.size + b.size - common);
}
