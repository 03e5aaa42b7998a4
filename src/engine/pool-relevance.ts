import type { SemanticSimilarity, TextWords } from './semantic/semantic-similarity.js';

/** One word the event asks about, with what a match on it is worth (0..1). */
export interface QueryTerm {
  word: string;
  weight: number;
  /**
   * A word of a bag of loosely related words (an intent's expansion): a text counts the
   * best of the bag's words it has, once. Three of them in one memory ("prefers aisle
   * seats on flights longer than three hours" against a contract's "seats … hours …
   * prefer") say what kind of thing it is no more than one does.
   */
  bag?: boolean;
}

/** A text of the pool: a candidate memory or past message. */
export interface PoolText {
  key: string;
  text: string;
  /** Its words when already compiled (the working set's memories). */
  words?: TextWords;
}

/** What a word every candidate has still counts, as a share of a rare word. */
const COMMON_WORD_SHARE = 0.2;
/** An event word no query carries (a long turn cut short) counts as the tool's words do. */
const UNPLANNED_WEIGHT = 0.6;
/** What the event's own words are worth when they match by meaning rather than letter. */
const MEANING_WEIGHT = 0.6;

/**
 * How well each candidate of one event's pool matches the event, 0..1, by its words
 * and by their meaning. A word counts by how rare it is in the pool (BM25's idf over
 * the user's own candidates): for someone whose memories are mostly about flights,
 * "flight" says little and "quiet car" a lot. Each matched word adds to a noisy-or:
 * exact matches at the term's weight, near words (word vectors) at their closeness
 * above the noise floor (meaning-score.ts), so a memory sharing no word with the
 * event still ranks when its rare words mean something close.
 */
export class PoolRelevance {
  readonly #words: TextWords[];
  readonly #idf = new Map<string, number>();
  readonly #terms = new Map<string, number>();
  /** Words that only a bag brought: counted once per text, by the best of them. */
  readonly #bagOnly = new Set<string>();
  readonly #event: TextWords | undefined;
  readonly #eventWeights: number[];
  /** Meaning per stem, computed once per event: many candidates share their words. */
  readonly #meaning = new Map<string, number>();
  readonly #semantic: SemanticSimilarity | undefined;

  constructor(
    pool: readonly PoolText[],
    terms: readonly QueryTerm[],
    semantic: SemanticSimilarity | undefined,
    event: TextWords | undefined,
    words: (text: PoolText) => TextWords,
  ) {
    this.#semantic = semantic;
    this.#event = event;
    this.#words = pool.map((text) => text.words ?? words(text));
    const documentFrequency = new Map<string, number>();
    for (const entry of this.#words) {
      for (const stem of entry.stems) {
        documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
      }
    }
    const size = Math.max(1, pool.length);
    // Normalised to 0..1 (a word only one candidate has is worth 1), then lifted so a
    // word every candidate has still counts for something: for a user whose memories
    // are all about Lisbon, a trip to Lisbon still wants them.
    const ceiling = Math.log(1 + (size - 0.5) / 1.5);
    for (const [stem, frequency] of documentFrequency) {
      const idf = Math.log(1 + (size - frequency + 0.5) / (frequency + 0.5));
      const rarity = ceiling > 0 ? Math.min(1, idf / ceiling) : 1;
      this.#idf.set(stem, COMMON_WORD_SHARE + (1 - COMMON_WORD_SHARE) * rarity);
    }
    for (const term of terms) {
      this.#terms.set(term.word, Math.max(this.#terms.get(term.word) ?? 0, term.weight));
    }
    const planned = new Set(terms.filter((term) => !term.bag).map((term) => term.word));
    for (const term of terms) if (term.bag && !planned.has(term.word)) this.#bagOnly.add(term.word);
    // An event word counts by meaning at the weight of its best query, as it would exactly.
    this.#eventWeights = (event?.stems ?? []).map(
      (stem) => this.#terms.get(stem) ?? UNPLANNED_WEIGHT,
    );
  }

  /** The relevance of pool entry `index`, 0..1. */
  score(index: number): number {
    const entry = this.#words[index];
    if (!entry) return 0;
    let miss = 1;
    // Meaning counts through the two closest words only: summed over every word, a
    // long text of loosely related words would outrank one that is on point.
    let first = 0;
    let second = 0;
    let bag = 0;
    entry.stems.forEach((stem, at) => {
      const rarity = (this.#idf.get(stem) ?? 1) * (entry.specificity[at] ?? 1);
      const exact = this.#terms.get(stem);
      if (exact !== undefined) {
        if (this.#bagOnly.has(stem)) bag = Math.max(bag, exact * rarity);
        else miss *= 1 - exact * rarity;
        return;
      }
      const vector = entry.vectors[at];
      if (this.#semantic && this.#event && vector) {
        let closeness = this.#meaning.get(stem);
        if (closeness === undefined) {
          closeness = this.#semantic.meaning(vector, this.#event, this.#eventWeights);
          this.#meaning.set(stem, closeness);
        }
        const meaning = closeness * rarity;
        if (meaning > first) {
          second = first;
          first = meaning;
        } else if (meaning > second) second = meaning;
      }
    });
    miss *= (1 - bag) * (1 - MEANING_WEIGHT * first) * (1 - (MEANING_WEIGHT / 2) * second);
    return 1 - miss;
  }
}
