import { LRUCache } from 'lru-cache';
import { withoutContractions } from './contractions.js';
import { withoutDates } from './date-tokens.js';
import { splitIdentifiers } from './identifier-split.js';
import { meaningScore } from './meaning-score.js';
import { type WordVectors, wordVectors } from './word-vectors.js';

/**
 * Words that say nothing about what a text is about: function words, the verbs agent
 * tools and first-person statements are made of, and stance words (a preference's
 * "always" is no topic).
 */
const GENERIC = new Set(
  (
    'a about after again all also am an and any are as at be been before being both but by can ' +
    'could did do does doing done for from get got had has have having he her here him his how ' +
    'i if in into is it its just me more most my no not now of off on once only or other our ' +
    'out over own please same she should so some such than that the their them then there these ' +
    'they this those through to too under until up us very was we were what when where which ' +
    'while who whom why will with would you your yours id ids im ive dont cant wont thats ' +
    'didnt doesnt isnt wasnt arent werent havent hasnt hadnt couldnt wouldnt shouldnt ' +
    'youre theyre weve youve theyve ' +
    'book find search lookup look list fetch query create update add new make check run set ' +
    'send open start end begin stop use using want wants need needs like likes love loves ' +
    'hate hates prefer prefers always never usually really thing things stuff one two ' +
    'yes yeah ok okay thanks thank hi hello hey sure well user assistant ' +
    'lol haha hahaha lmao omg btw tbh idk imo ugh hmm wow'
  ).split(' '),
);

/**
 * Content words of a text: lower case, split on non-letters and camelCase/snake_case
 * (identifier-split.ts), generic words dropped. Numbers stay ("401k", "3200"): they are what an amount or a
 * size is matched by.
 */
export function semanticWords(text: string): string[] {
  const found =
    splitIdentifiers(withoutContractions(withoutDates(text)))
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return found.filter((word) => word.length > 1 && !GENERIC.has(word) && !/^\d$/.test(word));
}

/**
 * A word as matching compares it: inflections folded ("kennels", "kennel"; "booked",
 * "book"), so a plural in a memory matches the singular in a tool argument.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/**
 * A text's distinct content words (stemmed) and, for the words that name a concept, their
 * vectors. Names ("London", "Dr Ruiz"), numbers, months and weekdays get none: they
 * match by identity, not by meaning. In word-vector space every city is near every
 * other city, and a trip to New York has nothing to do with a memory about London.
 */
export interface TextWords {
  readonly stems: readonly string[];
  /** Same order as `stems`; undefined for a name or a word the table lacks. */
  readonly vectors: readonly (Float32Array | undefined)[];
  /** Same order as `stems`: how specific each word is in English at large (`specificity`). */
  readonly specificity: readonly number[];
}

/** Below this frequency rank a word is as generic as words get ("time", "place", "still"). */
const GENERIC_RANK = 300;
/** From this rank on a word is specific ("appointment", "kennel", "invoice"). */
const SPECIFIC_RANK = 5000;
/** What the most generic word still counts, as a share of a specific one. */
const GENERIC_SHARE = 0.2;

/**
 * How much a word says about what a text is about, 0.2..1, from its frequency rank in
 * English at large (the word table is ordered by it): a log scale, as an idf is, between
 * the few hundred most common words and the rare ones. The pool's own idf
 * (pool-relevance.ts) says what is rare among one user's memories; this says what is
 * rare at all, so "time", "still" or "place" never carry a match, however few of the
 * user's memories say them. Names and numbers (no vector) count as specific.
 */
export function specificityOfRank(rank: number): number {
  const share = Math.log(rank / GENERIC_RANK) / Math.log(SPECIFIC_RANK / GENERIC_RANK);
  return GENERIC_SHARE + (1 - GENERIC_SHARE) * Math.min(1, Math.max(0, share));
}

const CALENDAR = new Set(
  (
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday'
  ).split(' '),
);

export interface SemanticSimilarityOptions {
  vectors?: WordVectors;
  /** Texts whose words are kept, by caller key (a memory id). Default 50 000. */
  cacheSize?: number;
}

/**
 * The offline semantic signal: word vectors (word-vectors.ts) for the content words of
 * a text, and the closeness of one word to a set of others. A text's words are kept by
 * key (memories do not change), bounded by an LRU; how much each closeness counts is
 * decided by the caller (pool-relevance.ts), which knows which words are rare.
 */
export class SemanticSimilarity {
  readonly #vectors: WordVectors;
  readonly #cache: LRUCache<string, TextWords>;

  constructor(options: SemanticSimilarityOptions = {}) {
    this.#vectors = options.vectors ?? wordVectors();
    this.#cache = new LRUCache({ max: options.cacheSize ?? 50_000 });
  }

  /** Whether English at large has this (lower-case) word: the table lists it. */
  knows(word: string): boolean {
    return this.#vectors.rank(word) < this.#vectors.size;
  }

  /** A (lower-case) word's frequency rank in English at large; the table's size if unknown. */
  rank(word: string): number {
    return this.#vectors.rank(word);
  }

  /** The words of a text, cached under `key` when one is given. */
  textWords(text: string, key?: string): TextWords {
    const cached = key === undefined ? undefined : this.#cache.get(key);
    if (cached) return cached;
    const names = namesIn(text);
    const byStem = new Map<string, string>();
    for (const word of semanticWords(text)) {
      const stemmed = stem(word);
      if (!byStem.has(stemmed)) byStem.set(stemmed, word);
    }
    const chosen = [...byStem.values()];
    const words: TextWords = {
      stems: [...byStem.keys()],
      vectors: chosen.map((word) =>
        names.has(word) || CALENDAR.has(word) || /\d/.test(word)
          ? undefined
          : this.#vectors.vector(word),
      ),
      specificity: chosen.map((word) =>
        names.has(word) || /\d/.test(word) ? 1 : specificityOfRank(this.#vectors.rank(word)),
      ),
    };
    if (key !== undefined) this.#cache.set(key, words);
    return words;
  }

  /**
   * How close in meaning `vector` is to the best of `others`, 0..1: the meaning score
   * of each cosine (meaning-score.ts) times that word's specificity and weight, the
   * highest.
   */
  meaning(
    vector: Float32Array | undefined,
    others: TextWords,
    /** What each of `others` is worth, same order; 1 where absent. */
    weights: readonly number[] = [],
  ): number {
    if (!vector) return 0;
    let best = 0;
    others.vectors.forEach((other, at) => {
      if (!other) return;
      const score =
        meaningScore(dot(vector, other)) * (others.specificity[at] ?? 1) * (weights[at] ?? 1);
      if (score > best) best = score;
    });
    return best;
  }

  /** The highest cosine of `vector` with any of `others`, 0 when none. */
  closeness(
    vector: Float32Array | undefined,
    others: readonly (Float32Array | undefined)[],
  ): number {
    if (!vector) return 0;
    let best = 0;
    for (const other of others) {
      if (!other) continue;
      const cosine = dot(vector, other);
      if (cosine > best) best = cosine;
    }
    return best;
  }
}

/**
 * The lower-cased words a text writes as names: capitalised past the start of a
 * sentence, or written in capitals ("DHL").
 */
function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const sentence of text.split(/[.!?:;\n]\s*/)) {
    const tokens = sentence.match(/[\p{L}\p{N}]+/gu) ?? [];
    tokens.forEach((token, at) => {
      if ((at > 0 && /^\p{Lu}/u.test(token)) || /^\p{Lu}{2,}$/u.test(token)) {
        names.add(token.toLowerCase());
      }
    });
  }
  return names;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let at = 0; at < a.length; at++) sum += (a[at] ?? 0) * (b[at] ?? 0);
  return sum;
}
