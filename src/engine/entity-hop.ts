import type { SourceTurn } from '../store/records.js';
import type { Candidate } from './candidate-ranking.js';
import { SENTENCE_END } from './extraction/clause.js';
import { relationNames } from './extraction/relation-rule.js';

/**
 * Capitalised words that are no entity: sentence starts, the pronoun, titles, days and
 * months (a date is no person, place or product).
 */
const NOT_ENTITIES = new Set(
  (
    'I Im Ive Id My Our We The A An It This That These Those He She They His Her Their ' +
    'Mr Mrs Ms Dr Prof Miss Sir Hi Hello Hey Thanks Please Yes No OK Okay Also And But So ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April ' +
    'May June July August September October November December Diet Lives Works Name Is'
  ).split(' '),
);

/**
 * The names an item mentions (people, places, products, accounts): capitalised words
 * other than the first of a sentence, any capitalised word after a title ("Dr Ruiz"),
 * and identifiers wherever they stand: words joined by a hyphen or an underscore that
 * carry a digit or are no word of English ("ledger-core", "NW-5521", "billing_api"),
 * which is how services, repositories, tickets and SKUs are named, in any case.
 */
export function entityNames(
  text: string,
  /** Whether a joined word is English ("follow-up"); default: none is. */
  knownWord: (word: string) => boolean = () => false,
): string[] {
  const names = new Set<string>();
  const body = text.replace(/^(?:user|assistant): /, '');
  for (const sentence of body.split(SENTENCE_END).flatMap((part) => part.split(/;\s+/))) {
    const tokens = sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'&-]*/gu) ?? [];
    tokens.forEach((token, at) => {
      const bare = token.replace(/'s$/, '');
      if (isIdentifier(bare, knownWord)) {
        names.add(bare);
        return;
      }
      if (at === 0 || !/^\p{Lu}/u.test(token)) return;
      const name = bare.replace(/'/g, '');
      if (name.length < 2 || NOT_ENTITIES.has(name)) return;
      names.add(name);
    });
  }
  return [...names];
}

/**
 * Things said that a name may appear in (its seed's included) and still be followed.
 * Memories extracted from one turn count once: "my mom Rosa is coming" and "My mom is
 * Rosa" are one mention.
 */
const MAX_SHARING = 3;
/** A seed scores at least this share of the best item. */
const SEED_SHARE = 0.5;

export interface EntityHopOptions {
  /** How many of the best items may seed the hop (each within half the best score). Default 3. */
  seeds?: number;
  /** A hopped item's score as a share of its seed's. Default 0.9. */
  discount?: number;
  /** Lower-case words the event itself named: an entity the event named needs no hop. */
  eventWords: ReadonlySet<string>;
  /** Whether a hyphenated word is English rather than an identifier (`entityNames`). */
  knownWord?: (word: string) => boolean;
  /**
   * A lower-case word's frequency rank in English at large: with it, a name chat writes
   * in lower case after a relation ("my cofounder amara") is followed too.
   */
  wordRank?: (word: string) => number;
  /** Where each memory was said, by item id: memories of one turn are one mention. */
  turns?: ReadonlyMap<string, SourceTurn>;
}

/**
 * The second retrieval round: the entities named by the best items (`ranked`, best
 * first) pull in the other candidates that name them. "book_lesson {teacher: 'my piano
 * teacher'}" finds "My piano teacher is Ms Okafor"; the hop brings "Ms Okafor only takes
 * cash", which shares no word with the event. A hopped candidate scores at most its
 * seed's score times `discount`, and never less than it scored on its own.
 * Answers the candidates rescored, best first.
 */
export function hopEntities(ranked: readonly Candidate[], options: EntityHopOptions): Candidate[] {
  const discount = options.discount ?? 0.9;
  // Seeds are the best items that are clearly relevant: a weak third item's names
  // would pull in noise.
  const best = ranked[0]?.score ?? 0;
  const seeds = ranked
    .slice(0, options.seeds ?? 3)
    .filter((candidate) => candidate.score >= best * SEED_SHARE);
  // Anywhere in a candidate, its first word too ("Tomasz only answers on WhatsApp"), in
  // any case: extraction capitalises a sentence's first word ("Ledger-core only builds").
  const tokens = ranked.map((candidate) => contentTokens(candidate.item.content));
  const mentions = ranked.map((candidate) => mentionOf(candidate, options.turns));
  const pulls = new Map<string, number>();
  for (const seed of seeds) {
    const named = options.wordRank
      ? relationNames(seed.item.content, options.wordRank).map((relation) => relation.name)
      : [];
    for (const entity of new Set([
      ...entityNames(seed.item.content, options.knownWord),
      ...named,
    ])) {
      const name = entity.toLowerCase();
      // The event's words are split at hyphens: "ledger-core" in it reads "ledger", "core".
      if (name.split(/[-_]/).every((part) => options.eventWords.has(part))) continue;
      // A name many candidates share (a home town, an airline) ties nothing together.
      const sharing = new Set(mentions.filter((_, at) => tokens[at]?.has(name))).size;
      if (sharing > MAX_SHARING) continue;
      pulls.set(name, Math.max(pulls.get(name) ?? 0, seed.score * discount));
    }
  }
  if (pulls.size === 0) return [...ranked];
  const seedIds = new Set(seeds.map((seed) => seed.item.itemId));
  const rescored = ranked.map((candidate, at) => {
    if (seedIds.has(candidate.item.itemId)) return candidate;
    let pulled = 0;
    for (const [name, score] of pulls) if (tokens[at]?.has(name)) pulled = Math.max(pulled, score);
    if (pulled <= candidate.score) return candidate;
    return {
      ...candidate,
      score: pulled,
      item: { ...candidate.item, relevanceScore: pulled },
    };
  });
  return rescored.sort((a, b) => b.score - a.score);
}

/** Where a candidate was said: its source turn when known, else the candidate itself. */
function mentionOf(
  candidate: Candidate,
  turns: ReadonlyMap<string, SourceTurn> | undefined,
): string {
  const turn = turns?.get(candidate.item.itemId);
  return turn ? `${turn.conversationId}\u0000${turn.seq}` : candidate.item.itemId;
}

/** A word joined to another by a hyphen or an underscore, as identifiers are. */
const JOINED = /^[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)+$/u;

/**
 * A joined word that names something: with a digit or an underscore, or one that
 * `knownWord` (English at large) does not know: "ledger-core" and "NW-5521" are
 * identifiers, "follow-up" and "long-term" are English.
 */
function isIdentifier(token: string, knownWord: (word: string) => boolean): boolean {
  if (!JOINED.test(token)) return false;
  return /\d|_/.test(token) || !knownWord(token.toLowerCase());
}

/** A text's words and joined identifiers, lower case. */
function contentTokens(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const token of text.match(/[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)*/gu) ?? []) {
    const lower = token.toLowerCase();
    tokens.add(lower);
    if (lower.includes('-') || lower.includes('_')) {
      for (const part of lower.split(/[-_]/)) tokens.add(part);
    }
  }
  return tokens;
}
