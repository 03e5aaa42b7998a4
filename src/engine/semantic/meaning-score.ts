/**
 * How word-vector closeness enters ranking. Closeness (cosine of centred vectors,
 * word-vectors.ts) is noisy at the bottom: unrelated words still score up to 0.3 or so.
 * Below `NOISE` it says nothing; from there it rises to 1 at `STRONG`, where two words
 * are clearly related (vegetarian~meal 0.59, dog~kennel 0.54).
 */
const NOISE = 0.35;
const STRONG = 0.65;

/** Closeness mapped onto 0..1 above the noise floor. */
export function meaningScore(closeness: number): number {
  if (!(closeness > NOISE)) return 0;
  return Math.min(1, (closeness - NOISE) / (STRONG - NOISE));
}
