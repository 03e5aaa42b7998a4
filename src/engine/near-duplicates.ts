import type { Candidate } from './candidate-ranking.js';
import { semanticWords, stem } from './semantic/semantic-similarity.js';

/** How many of the best items are reordered; the rest keep their order below them. */
const WINDOW = 30;
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
export function spreadRepeats(ranked: readonly Candidate[]): Candidate[] {
  const window = ranked.slice(0, WINDOW);
  if (window.length < 2) return [...ranked];
  const words = window.map((candidate) => new Set(semanticWords(candidate.item.content).map(stem)));
  const picked: number[] = [];
  const adjusted = new Map<number, number>();
  const left = new Set(window.keys());
  while (left.size > 0) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const at of left) {
      let overlap = 0;
      for (const other of picked) {
        overlap = Math.max(overlap, shared(words[at] as Set<string>, words[other] as Set<string>));
      }
      const score = (window[at] as Candidate).score * (1 - REPEAT_PENALTY * overlap);
      if (score > bestScore) {
        bestScore = score;
        best = at;
      }
    }
    left.delete(best);
    picked.push(best);
    adjusted.set(best, bestScore);
  }
  const rescored = picked.map((at) => {
    const candidate = window[at] as Candidate;
    const score = adjusted.get(at) ?? candidate.score;
    if (score === candidate.score) return candidate;
    return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
  });
  return [...rescored, ...ranked.slice(WINDOW)];
}

/** Words in common over words in either (Jaccard), 0 for two empty texts. */
function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const word of a) if (b.has(word)) common++;
  return common / (a.size + b.size - common);
}
