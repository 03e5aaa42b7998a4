import type { MemoryHit } from '../store/records.js';

/** The usual RRF constant: ranks beyond the first few count about alike. */
const RRF_K = 60;

/**
 * Reciprocal rank fusion of the lexical and the vector ranking of memories. Each
 * list counts by rank, not by score, so the two scales (full-text ranks, cosines)
 * need no calibration against each other. Answers a 0..1 score per memory id: 1 for
 * first in both lists, about 0.5 for first in one and absent from the other.
 */
export function fuseRankings(
  lexical: readonly MemoryHit[],
  vector: readonly MemoryHit[],
): Map<string, { memory: MemoryHit; score: number }> {
  const best = 2 / (RRF_K + 1);
  const fused = new Map<string, { memory: MemoryHit; score: number }>();
  for (const list of [lexical, vector]) {
    list.forEach((memory, rank) => {
      const held = fused.get(memory.id) ?? { memory, score: 0 };
      held.score += 1 / (RRF_K + rank + 1) / best;
      fused.set(memory.id, held);
    });
  }
  return fused;
}
