import { LRUCache } from 'lru-cache';
import type { SourceTurn } from '../store/records.js';
import type { Candidate } from './candidate-ranking.js';
import { statementCloseness } from './extraction/change-supersession.js';
import { HOME_STATEMENT } from './home-statements.js';
import type { SemanticSimilarity } from './semantic/semantic-similarity.js';

/**
 * Words that say a statement is the new state of something: the change cues of
 * extraction (change-supersession.ts) and the ones that only say it holds from now on
 * ("from here on", "starting this month", "we started going to …", "relocated", "my new
 * …", "installed", "unpacked").
 */
const SUCCESSION =
  /(?:^|\b(?:my|our|the|brand|got a|have a|bought a) )new\b|\binstalled\b|\bunpack(?:ed|ing)\b|\bmoved in\b|\b(?:(?<!\b(?:for|just|until|till|up to) )now|these days|nowadays|no longer|not anymore|anymore|any more|instead|switched|switching|moved|moving|relocated|changed|changing|replaced|upgraded|downgraded|quit|from now on|from here on|going forward|starting (?:this|next|today|tomorrow|on|in|from)|started (?:going|seeing|using|shopping|banking|working|training))\b/i;

/**
 * Kinds of value a statement gives. Two statements giving a value of one kind may give
 * one attribute two values: the older one is what the newer replaced.
 */
const VALUE_KINDS: readonly { kind: string; pattern: RegExp; specific: boolean }[] = [
  // Specific: two of these for one user, the newer with a change cue, are one attribute
  // (an address, a filter size, an email) whatever other words they use.
  {
    kind: 'address',
    pattern:
      /\b\d+[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Rd|Road|Ave|Avenue|Lane|Ln|Court|Ct|Blvd|Boulevard|Drive|Way|Place|Pl|Terrace|Close)\b/,
    specific: true,
  },
  // Where the user lives or is (home-statements.ts). A user has one home at a time.
  { kind: 'home', pattern: HOME_STATEMENT, specific: true },
  // "16x25", "16 x 25 x 1": two or three sides.
  {
    kind: 'dimensions',
    pattern: /\b\d+(?:\.\d+)?\s?x\s?\d+(?:\.\d+)?(?:\s?x\s?\d+(?:\.\d+)?)?\b/i,
    specific: true,
  },
  { kind: 'email', pattern: /\b[\w.+-]+@[\w-]+\.[\w.]+\b/, specific: true },
  // A member, policy or account number: letters and digits mixed ("W18830", "XEB449021").
  // Many things have one, so it must be about the same thing as well.
  {
    kind: 'identifier',
    pattern: /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{5,}\b/,
    specific: false,
  },
  {
    kind: 'phone',
    pattern: /(?:\+\d[\d\s-]{7,}\d|\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b)/,
    specific: true,
  },
  {
    kind: 'money',
    pattern: /[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|usd|eur|gbp|dollars|euros|pounds)\b/i,
    specific: false,
  },
  { kind: 'share', pattern: /\b\d+(?:\.\d+)?\s?%|\b\d{1,3}\/\d{1,3}\b/, specific: false },
  {
    kind: 'clock',
    pattern: /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b/i,
    specific: false,
  },
  // A name (a place, a provider, a brand, a person): capitalised past a sentence's start,
  // or in capitals ("CVS", "SJC").
  {
    kind: 'name',
    pattern:
      /(?<=[\p{L}\p{N},;:]\s+)(?!(?:I|I'm|I've|I'd|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b)\p{Lu}[\p{L}&'-]+|\b\p{Lu}{2,}\b/u,
    specific: false,
  },
];

/**
 * How many of the best items may be followed to what replaced them: more than a bundle's
 * first few, since the replaced statement is what the event matched by its old words
 * and the successor is what the bundle needs; following a weak one costs nothing (its
 * successor comes in at its weak score).
 */
const SEEDS = 16;
/** A seed scores at least this share of the best item (and `minSeedScore`). */
const SEED_SHARE = 0.2;
/** A successor scores at least this share of what it replaced. */
const SUCCESSOR_SHARE = 0.95;
/** What the replaced item keeps of its score: it is history, no longer the state. */
const REPLACED_SHARE = 0.2;
/** The best this many items, above the seeds' bar, were found for the same thing. */
const NEAR_TOP = 5;
/** How close two statements that give values of one general kind must be. */
const MIN_CLOSENESS = 0.3;

export interface SuccessorOptions {
  /** Word vectors for closeness; without them, only a shared word relates two statements. */
  semantic?: SemanticSimilarity;
  /** A seed scores at least this, whatever the others scored. Default 0.1. */
  minSeedScore?: number;
  /**
   * Where each memory was said, by item id: a change cue in one statement of a turn
   * is the whole turn's ("we're finally done moving. new place in San Jose").
   */
  turns?: ReadonlyMap<string, SourceTurn>;
}

/**
 * A statement the event found may have been replaced by a later one the event shares
 * no word with: "rent is $1,850 a month" found for a budget, "we're paying $2,100
 * starting this month" not; "my pharmacy is the CVS on 5th" found for a refill, "I pick
 * up my meds at the Walgreens these days" not. For each of the eight best memories, the
 * newest later memory that says something changed, gives a value of the same kind
 * (an address, an amount, a size, a name), and is about the same thing (a shared word
 * or near meaning; not needed for an address, a size, an email or a phone number, nor
 * for a change the event found among its five best) is its successor: it scores at
 * least 0.95 of the seed, and the seed keeps a fifth of its score. A best item that
 * itself says something changed does the same to the older items near the top that
 * give a value of its kind. Answers the candidates rescored, best first.
 */
export function followSuccessors(
  ranked: readonly Candidate[],
  options: SuccessorOptions = {},
): Candidate[] {
  const best = ranked[0]?.score ?? 0;
  const floor = Math.max(options.minSeedScore ?? 0.1, best * SEED_SHARE);
  const seeds = ranked
    .slice(0, SEEDS)
    .filter((candidate) => candidate.score >= floor && candidate.item.source === 'memories');
  if (seeds.length === 0) return [...ranked];
  const turnOf = (candidate: Candidate) => {
    const turn = options.turns?.get(candidate.item.itemId);
    return turn ? `${turn.conversationId}\u0000${turn.seq}` : undefined;
  };
  const changedTurns = new Set(
    ranked
      .filter((candidate) => hasCue(candidate.item.content))
      .map(turnOf)
      .filter((key) => key !== undefined),
  );
  // Memories extracted together (a conversation imported at once) share their creation
  // time: the order their source turns were recorded in tells which was said later.
  const saidAfter = (later: Candidate, earlier: Candidate) => {
    if (later.item.createdAt !== earlier.item.createdAt) {
      return later.item.createdAt > earlier.item.createdAt;
    }
    const at = options.turns?.get(later.item.itemId)?.seq;
    const before = options.turns?.get(earlier.item.itemId)?.seq;
    return at !== undefined && before !== undefined && at > before;
  };
  const saysChange = (candidate: Candidate) =>
    hasCue(candidate.item.content) || changedTurns.has(turnOf(candidate) ?? '');
  const changes = ranked.filter(
    (candidate) => candidate.item.source === 'memories' && saysChange(candidate),
  );
  if (changes.length === 0) return [...ranked];
  const scores = new Map(ranked.map((candidate) => [candidate.item.itemId, candidate.score]));
  /** Each replaced item loses its score once, however many successors it has. */
  const replaced = new Set<Candidate>();
  const nearTop = new Set(
    ranked.slice(0, NEAR_TOP).filter((candidate) => candidate.score >= floor),
  );
  for (const seed of seeds) {
    const kinds = valueKinds(seed.item.content);
    let successor: Candidate | undefined;
    for (const change of changes) {
      if (change === seed || !saidAfter(change, seed)) continue;
      // Found for the same event among the best, it is about the same thing as far as
      // the event goes: a value of the same kind is enough. A statement that gives no
      // value of a kind we read ("majoring in biology") is replaced only by one that
      // says it switched and is close in meaning ("switched to nursing").
      const related =
        kinds.size === 0
          ? switchesFrom(seed.item.content, change.item.content, options.semantic)
          : nearTop.has(change)
            ? sharesKind(change.item.content, kinds)
            : relates(seed.item.content, change.item.content, kinds, options.semantic);
      if (!related) continue;
      if (!successor || saidAfter(change, successor)) successor = change;
    }
    if (!successor) {
      if (saysChange(seed)) demotePredecessors(seed, kinds, nearTop, scores, replaced, saidAfter);
      continue;
    }
    const seedScore = scores.get(seed.item.itemId) ?? seed.score;
    const pulled = seedScore * SUCCESSOR_SHARE;
    if (pulled > (scores.get(successor.item.itemId) ?? 0)) {
      scores.set(successor.item.itemId, pulled);
    }
    if (!replaced.has(seed)) scores.set(seed.item.itemId, seedScore * REPLACED_SHARE);
    replaced.add(seed);
  }
  return ranked
    .map((candidate) => {
      const score = scores.get(candidate.item.itemId) ?? candidate.score;
      if (score === candidate.score) return candidate;
      return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * The other way round: a best item that itself says something changed replaces the
 * older items near the top that give a value of the same kind ("Northside Animal
 * Hospital has all Pepper's records now" over "our vet is Dr. Hale at Pawsitive Care").
 */
function demotePredecessors(
  seed: Candidate,
  kinds: ReadonlyMap<string, boolean>,
  nearTop: ReadonlySet<Candidate>,
  scores: Map<string, number>,
  replaced: Set<Candidate>,
  saidAfter: (later: Candidate, earlier: Candidate) => boolean,
): void {
  for (const older of nearTop) {
    if (older === seed || older.item.source !== 'memories' || replaced.has(older)) continue;
    if (!saidAfter(seed, older)) continue;
    if (!sharesKind(older.item.content, kinds)) continue;
    const score = scores.get(older.item.itemId) ?? older.score;
    scores.set(older.item.itemId, score * REPLACED_SHARE);
    replaced.add(older);
  }
}

/**
 * What a text says, read once: a user's memories are the same texts event after event,
 * and the patterns above cost more than the rest of this hop.
 */
const readings = new LRUCache<string, { cue: boolean; kinds: Map<string, boolean> }>({
  max: 20_000,
});

function reading(text: string): { cue: boolean; kinds: Map<string, boolean> } {
  let read = readings.get(text);
  if (!read) {
    const kinds = new Map<string, boolean>();
    for (const { kind, pattern, specific } of VALUE_KINDS) {
      if (pattern.test(text)) kinds.set(kind, specific);
    }
    read = { cue: SUCCESSION.test(text), kinds };
    readings.set(text, read);
  }
  return read;
}

/** How close two statements are, by their texts (`statementCloseness`), read once. */
const closenesses = new LRUCache<string, number>({ max: 20_000 });

function hasCue(text: string): boolean {
  return reading(text).cue;
}

/** The kinds of value a statement gives, with whether each is specific. */
function valueKinds(text: string): ReadonlyMap<string, boolean> {
  return reading(text).kinds;
}

/** The later statement gives a value of a kind the earlier gave. */
function sharesKind(later: string, kinds: ReadonlyMap<string, boolean>): boolean {
  return [...valueKinds(later).keys()].some((kind) => kinds.has(kind));
}

/**
 * Words that say the speaker went from one thing to another ("switched to nursing",
 * "changed to the night shift", "no longer", "moved the frontend to pnpm"), not that
 * something changed ("a mole that changed shape") or merely holds now.
 */
const SWITCH =
  /\b(?:switched|switching|(?:changed|changing) (?:to|over|from|my|our)|no longer|anymore|any more|instead|quit)\b|\b(?:moved|moving|migrated|migrating|ported|porting)\b[^.;]{0,40}?\bto\b/i;

/** The later statement says it switched, and is about what the earlier was about. */
function switchesFrom(
  earlier: string,
  later: string,
  semantic: SemanticSimilarity | undefined,
): boolean {
  return SWITCH.test(later) && closenessOf(earlier, later, semantic) >= MIN_CLOSENESS;
}

/** The later statement gives a value of a kind the earlier gave, about the same thing. */
function relates(
  earlier: string,
  later: string,
  kinds: ReadonlyMap<string, boolean>,
  semantic: SemanticSimilarity | undefined,
): boolean {
  const shared = [...valueKinds(later).keys()].filter((kind) => kinds.has(kind));
  if (shared.length === 0) return false;
  if (shared.some((kind) => kinds.get(kind))) return true;
  return closenessOf(earlier, later, semantic) >= MIN_CLOSENESS;
}

/** `statementCloseness` of the two, read once per pair. */
function closenessOf(
  earlier: string,
  later: string,
  semantic: SemanticSimilarity | undefined,
): number {
  const key = `${semantic ? 1 : 0}\u0000${later}\u0000${earlier}`;
  let closeness = closenesses.get(key);
  if (closeness === undefined) {
    closeness = statementCloseness(later, earlier, semantic);
    closenesses.set(key, closeness);
  }
  return closeness;
}
