import type { SourceTurn } from '../store/records.js';
import type { Candidate } from './candidate-ranking.js';

/** How many of the best items may pull in what was said next to them. */
const SEEDS = 3;
/** A seed scores at least this share of the best item. */
const SEED_SHARE = 0.5;
/** A neighbour scores at most this share of its seed. */
const DISCOUNT = 0.8;
/**
 * What another statement of the seed's own message scores at most, as a share of the
 * seed's: one turn's statements lean on each other at least as much as two turns do
 * ("Ferro's ops team got reshuffled. It's Marcus we deal with now").
 */
const SAME_TURN_DISCOUNT = 0.85;

/**
 * What was said with, right before or after the best items, in the same conversation: a
 * statement often leans on the one next to it ("got Walmart+ through my card perk" then
 * "free delivery on groceries is the main thing"; "Pepper's records are at Northside
 * now" then "she's due for her rabies shot"). The event may match one of them only; the
 * other is what makes it usable. A neighbour is a memory from the seed's own message
 * (at most the seed's score times 0.85), or one whose source message comes next before
 * or after the seed's among the user's memories of that conversation (times 0.8);
 * never less than it scored on its own. `turns` maps a memory item's id to where it
 * was said. Answers the candidates rescored, best first.
 */
export function hopNeighbours(
  ranked: readonly Candidate[],
  turns: ReadonlyMap<string, SourceTurn>,
  /**
   * A seed scores at least this, whatever the others scored: what merely came closest
   * to a vague turn is noise, and its neighbours would be more of it. Default 0.1, the
   * anticipator's bar.
   */
  minSeedScore = 0.1,
): Candidate[] {
  if (turns.size < 2) return [...ranked];
  const best = ranked[0]?.score ?? 0;
  const floor = Math.max(minSeedScore, best * SEED_SHARE);
  const seeds = ranked
    .slice(0, SEEDS)
    .filter((candidate) => candidate.score >= floor && turns.has(candidate.item.itemId));
  if (seeds.length === 0) return [...ranked];
  // The distinct source messages of the seeds' conversations only, in recording order.
  const seedConversations = new Set(
    seeds.map((seed) => turns.get(seed.item.itemId)?.conversationId),
  );
  const seen = new Map<string, Set<number>>();
  for (const turn of turns.values()) {
    if (!seedConversations.has(turn.conversationId)) continue;
    const seqs = seen.get(turn.conversationId) ?? new Set<number>();
    seqs.add(turn.seq);
    seen.set(turn.conversationId, seqs);
  }
  const orders = new Map([...seen].map(([id, seqs]) => [id, [...seqs].sort((a, b) => a - b)]));
  const pulls = new Map<string, number>();
  for (const seed of seeds) {
    const turn = turns.get(seed.item.itemId);
    const distinct = turn && orders.get(turn.conversationId);
    if (!turn || !distinct) continue;
    const at = distinct.indexOf(turn.seq);
    const pull = (seq: number | undefined, share: number) => {
      if (seq === undefined) return;
      const key = `${turn.conversationId}\u0000${seq}`;
      pulls.set(key, Math.max(pulls.get(key) ?? 0, seed.score * share));
    };
    pull(turn.seq, SAME_TURN_DISCOUNT);
    pull(distinct[at - 1], DISCOUNT);
    pull(distinct[at + 1], DISCOUNT);
  }
  const rescored = ranked.map((candidate) => {
    const turn = turns.get(candidate.item.itemId);
    const pulled = turn ? (pulls.get(`${turn.conversationId}\u0000${turn.seq}`) ?? 0) : 0;
    if (pulled <= candidate.score) return candidate;
    return { ...candidate, score: pulled, item: { ...candidate.item, relevanceScore: pulled } };
  });
  return rescored.sort((a, b) => b.score - a.score);
}
