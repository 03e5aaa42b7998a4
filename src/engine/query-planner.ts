import { MEMORY_TYPES, type MemoryType } from '../store/records.js';
import type { AnticipationEvent } from './anticipator.js';
import { expandIntent } from './query-expansion.js';
import { withoutContractions } from './semantic/contractions.js';
import { withoutDates } from './semantic/date-tokens.js';
import { splitIdentifiers } from './semantic/identifier-split.js';
import { isEmptyArg } from './tool-args.js';

/** Where a query came from; its weight in ranking follows from it. */
export type QuerySource = 'request' | 'missing' | 'entity' | 'content' | 'tool' | 'expansion';

/** One search of a plan: any of its words matches; `weight` is its say in ranking (0..1). */
export interface PlannedQuery {
  text: string;
  source: QuerySource;
  weight: number;
}

/** What to search for one event. */
export interface QueryPlan {
  /** Searches, most specific first, at most `maxQueries`. */
  queries: PlannedQuery[];
  /** Every distinct significant word the event carried, lower case. */
  keywords: string[];
  /** Memory types to search. */
  types: MemoryType[];
  /** Of `types`, those the event's intent needs most (query-expansion.ts); [] for no intent. */
  preferredTypes: MemoryType[];
  /** Preference categories the intent draws on whatever words they use; [] for none. */
  categories: string[];
}

export interface QueryPlannerOptions {
  /** Default 8. All run in one statement; more only widen the match. */
  maxQueries?: number;
}

/**
 * What a match on each kind of query is worth: the client's explicit searches and
 * the entities in the arguments say exactly what is wanted; the turn's words less;
 * the tool's own words and the intent's expansion only say what kind of thing.
 */
export const QUERY_WEIGHTS: Record<QuerySource, number> = {
  request: 1,
  missing: 1,
  entity: 0.9,
  content: 0.7,
  tool: 0.6,
  expansion: 0.45,
};

/** What a preference of one of the intent's categories counts for, matched or not. */
export const CATEGORY_WEIGHT = 0.5;

const MAX_PHRASE_WORDS = 6;
const MAX_PHRASE_CHARS = 200;
// The store reads at most 32 words of a query.
const MAX_QUERY_WORDS = 32;
const MAX_ARG_VALUES = 32;
const MAX_ARG_DEPTH = 3;

// Words that carry no retrieval signal in agent traffic (English function words
// plus the verbs tool names are made of).
const STOPWORDS = new Set(
  (
    'a an and are as at be by can could do does for from get has have how i in is it its ' +
    'me my not of on or our please set should so that the their them then there these this to ' +
    'us was we what when where which who why will with would you your id ids'
  ).split(' '),
);

// The verbs tool names are made of: in `book_flight` the flight is the signal, and
// "book" would match every memory about books.
const TOOL_VERBS = new Set(
  'book find search lookup look list fetch query create update add new make check run do'.split(
    ' ',
  ),
);

// Singular and loose spellings seen in clients; anything else is ignored, not refused.
const TYPE_ALIASES: Record<string, MemoryType | 'all'> = {
  all: 'all',
  fact: 'facts',
  facts: 'facts',
  preference: 'preferences',
  preferences: 'preferences',
  episode: 'episodes',
  episodes: 'episodes',
  emotion: 'emotions',
  emotions: 'emotions',
  temporal: 'temporal_events',
  temporal_event: 'temporal_events',
  temporal_events: 'temporal_events',
};

/**
 * Turns an event into weighted searches, most specific first: the client's own search
 * queries, each short argument value (the entities: 'Lisbon'), the turn's content with
 * the long argument values, the tool (its name split on `_` and camelCase, with the
 * argument keys), and the expansion of the intent those words call up. The store runs
 * them in one statement and answers each record's rank per query; ranking weighs them.
 */
export function planQueries(
  event: Pick<
    AnticipationEvent,
    'toolName' | 'toolArgs' | 'content' | 'searchQueries' | 'contextTypes'
  >,
  options: QueryPlannerOptions = {},
): QueryPlan {
  const maxQueries = options.maxQueries ?? 8;
  const args = collectArgs(event.toolArgs);
  const longValues = args.values.filter((value) => !isShort(value));
  // An argument the model left empty ("clinic": null) names what it does not know:
  // exactly what the context has to supply ("Pepper's vet is Northside Animal Hospital").
  const missingWords = unique(args.missing.flatMap(words));
  const toolWords = unique([event.toolName, ...args.keys].flatMap(words)).filter(
    (word) => !TOOL_VERBS.has(word),
  );
  const contentWords = unique([...longValues, event.content].flatMap(words)).slice(
    0,
    MAX_QUERY_WORDS,
  );
  const intent = expandIntent([...toolWords, ...contentWords]);
  const candidates: PlannedQuery[] = [
    ...event.searchQueries.map((query) => planned(query.slice(0, MAX_PHRASE_CHARS), 'request')),
    planned(missingWords.join(' '), 'missing'),
    ...args.values.filter(isShort).map((value) => planned(value, 'entity')),
    planned(contentWords.join(' '), 'content'),
    planned(toolWords.join(' '), 'tool'),
    planned(intent.words.join(' '), 'expansion'),
  ].filter((query) => words(query.text).length > 0);
  const types = memoryTypes(event.contextTypes);
  return {
    queries: uniqueQueries(candidates).slice(0, maxQueries),
    keywords: unique(
      [event.toolName, ...args.keys, ...args.values, ...event.searchQueries, event.content].flatMap(
        words,
      ),
    ),
    types,
    preferredTypes: intent.prefers.filter((type) => types.includes(type)),
    categories: intent.categories,
  };
}

function planned(text: string, source: QuerySource): PlannedQuery {
  return { text: text.trim(), source, weight: QUERY_WEIGHTS[source] };
}

/** First of each word set wins: it came from the more specific source. */
function uniqueQueries(queries: PlannedQuery[]): PlannedQuery[] {
  const seen = new Set<string>();
  return queries.filter((query) => {
    const key = words(query.text).join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Significant words of a text: split on non-letters, `_` and camelCase, lower case, no stopwords. */
export function words(text: string): string[] {
  const found =
    splitIdentifiers(withoutContractions(withoutDates(text)))
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return found.filter((word) => word.length > 1 && !STOPWORDS.has(word));
}

/** `context_types` → memory types: [] or `all` means every type; unknown names are ignored. */
export function memoryTypes(contextTypes: string[]): MemoryType[] {
  const chosen = new Set<MemoryType>();
  for (const name of contextTypes) {
    const type = TYPE_ALIASES[name.trim().toLowerCase()];
    if (type === 'all') return [...MEMORY_TYPES];
    if (type) chosen.add(type);
  }
  return chosen.size > 0 ? MEMORY_TYPES.filter((type) => chosen.has(type)) : [...MEMORY_TYPES];
}

/** A value short enough to be a search of its own (a name, a place, a date). */
function isShort(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length <= MAX_PHRASE_CHARS && trimmed.split(/\s+/).length <= MAX_PHRASE_WORDS;
}

/**
 * Keys and string leaves of the tool arguments, bounded in depth and count, and the keys
 * whose value is empty (null, '', []).
 */
function collectArgs(args: Record<string, unknown> | null): {
  keys: string[];
  values: string[];
  missing: string[];
} {
  const keys: string[] = [];
  const values: string[] = [];
  const missing: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (values.length >= MAX_ARG_VALUES || depth > MAX_ARG_DEPTH) return;
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) for (const entry of value) visit(entry, depth + 1);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, entry] of Object.entries(value)) {
        keys.push(key);
        if (isEmptyArg(entry)) missing.push(key);
        visit(entry, depth + 1);
      }
    }
  };
  visit(args, 0);
  return { keys, values, missing };
}

function unique(list: string[], key: (value: string) => string = (value) => value): string[] {
  const seen = new Set<string>();
  return list.filter((value) => {
    const id = key(value);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
