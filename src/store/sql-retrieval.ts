import type { Database } from './database.js';
import type {
  MemoryRetrieval,
  MessageRetrieval,
  RetrievedMemory,
  RetrievedMessage,
} from './records.js';
import { decimal, toMemoryHit, toMessageHit } from './row-mapping.js';
import { MEMORY_HIT_COLUMNS, visibleMemoriesByScope } from './sql-memory-scope.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

/**
 * Retrieval reads the memories an event may see first (its conversation's, its user's,
 * its customer's, the client's: a few hundred rows through the btree indexes) and
 * matches text on those only. Left to itself the planner may AND a GIN scan of every
 * row in the store that holds a query word into the scope filter, a cost that follows
 * the whole store and how common the words are; scope first costs in proportion to
 * what the user owns (bench/retrieval-scale: 1.3 ms at 10k, 100k and 1M memories). The
 * windows bound that cost for the heaviest users: the newest memories and messages
 * within them are searched. Both statements are prepared (`Database.queryPrepared`):
 * planning them had cost as much as running them.
 */
export const VISIBLE_MEMORY_WINDOW = 5000;
export const MESSAGE_WINDOW = 1000;
const MAX_QUERIES = 16;
const DEFAULT_CATEGORY_WEIGHT = 0.5;

const MESSAGE_HIT_COLUMNS = 'id, conversation_id, role, content, recorded_at';

/** What a retrieval statement's text depends on: one prepared statement per shape. */
interface Shape {
  /** Queries with words, each ranked in a column of its own. */
  queries: number;
  /** The union of their words is a parameter (rows matching none are left out). */
  union: boolean;
  /** A category list is a parameter, and matching it counts as a modest match. */
  category: boolean;
  /** Every row of the source is ranked, matching or not (memories): ranking, not filtering. */
  all: boolean;
}

/** The shape's name part: `q3_uc` is three queries, a union and categories. */
function shapeKey(shape: Shape): string {
  return `q${shape.queries}_${shape.union ? 'u' : ''}${shape.category ? 'c' : ''}${shape.all ? 'a' : ''}`;
}

/**
 * A retrieval statement over `source` (a WITH clause defining it, after the `q` CTE;
 * `keep`, a condition on the matching rows, checked after the text match), ranking its rows for a shape whose parameters start at `$first`, in this order:
 * categories, union, each query's tsquery text, each query's weight, the category
 * weight. One rank column per query (0 where it does not match: ts_rank_cd can be
 * non-zero on a partial cover), ordered by the weighted sum of the saturated ranks,
 * which picks the rows worth sending back; ranking proper happens in the engine.
 *
 * The tsqueries are built once, in the `q` CTE: a prepared statement's generic plan
 * folds no function of a parameter, and `to_tsquery` per row parsed and stemmed them
 * again for every row. Ranks are computed once, in the `ranked` CTE: flattened into
 * the sort key they were computed twice (2.4 ms a statement at 100k memories, 1.4 ms
 * without).
 */
function rankedStatement(
  source: { name: string; with: string; keep?: string },
  columns: string,
  shape: Shape,
  first: number,
): string {
  let next = first;
  const categoryAt = shape.category ? next++ : 0;
  const unionAt = shape.union ? next++ : 0;
  const queryAt = Array.from({ length: shape.queries }, () => next++);
  const weightAt = Array.from({ length: shape.queries }, () => next++);
  const categoryWeightAt = shape.category ? next++ : 0;

  const tsqueries = [
    ...(shape.union ? [`to_tsquery('english', $${unionAt}) AS q_union`] : []),
    ...queryAt.map((at, index) => `to_tsquery('english', $${at}) AS q_${index}`),
  ];
  const inCategory = `category = ANY($${categoryAt}::text[])`;
  const ranks = queryAt.map(
    (_, index) =>
      `CASE WHEN tsv @@ q_${index} THEN ts_rank_cd(tsv, q_${index}) ELSE 0 END AS rank_${index}`,
  );
  const terms = weightAt.map(
    (at, index) => `$${at}::float8 * rank_${index} / (rank_${index} + 0.1)`,
  );
  const names = queryAt.map((_, index) => `rank_${index}`);
  const matches = shape.union ? ['tsv @@ q_union'] : [];
  if (shape.category) {
    // A category match stands for a modest text match (0.1 saturates to 0.5).
    ranks.push(`CASE WHEN ${inCategory} THEN 0.1 ELSE 0 END AS rank_category`);
    terms.push(`$${categoryWeightAt}::float8 * rank_category / (rank_category + 0.1)`);
    names.push('rank_category');
    matches.push(inCategory);
  }
  return `WITH q AS MATERIALIZED (SELECT ${tsqueries.join(', ') || 'NULL AS q_none'}),
    ${source.with},
    ranked AS MATERIALIZED (
      SELECT ${source.name}.*, ${ranks.join(', ')}
      FROM ${source.name}, q WHERE ${shape.all ? 'true' : matches.join(' OR ') || 'false'}
    )
    SELECT ${columns}, ${names.join(', ')} FROM ranked ${source.keep ? `WHERE ${source.keep}` : ''}
    ORDER BY ${terms.join(' + ') || '0'} DESC, seq DESC`;
}

/** A plan's queries as the statement takes them. */
interface Prepared {
  /** The union of every query's words, as tsquery text; '' when none has a word. */
  union: string;
  /** Each query with a word, as tsquery text. */
  each: string[];
  weights: number[];
  /** For each of `each`, its position among the caller's queries. */
  positions: number[];
  /** How many queries the caller gave (ranks come back in that shape). */
  given: number;
}

function prepare(queries: readonly string[], weights: readonly number[]): Prepared {
  const prepared: Prepared = { union: '', each: [], weights: [], positions: [], given: 0 };
  prepared.given = queries.length;
  queries.slice(0, MAX_QUERIES).forEach((query, at) => {
    const text = toAnyWordQuery(query);
    if (text === '') return;
    prepared.each.push(text);
    prepared.weights.push(weights[at] ?? 1);
    prepared.positions.push(at);
  });
  prepared.union = toAnyWordQuery(prepared.each.join(' ').replaceAll('|', ' '));
  return prepared;
}

/** The row's rank per query in the caller's order, 0 for a query without words. */
function ranks(row: Record<string, unknown>, prepared: Prepared): number[] {
  const ranks = new Array<number>(prepared.given).fill(0);
  prepared.positions.forEach((position, at) => {
    ranks[position] = decimal(row, `rank_${at}`);
  });
  return ranks;
}

/**
 * Current memories visible to the scope (the rule of `searchMemories`), best weighted
 * text match first, then the newest, each with its rank per query (0 where it does not
 * match). Every visible memory is a candidate, matching or not: the engine ranks them
 * by meaning too (semantic-similarity.ts), and a memory that shares no word with the
 * event may still be the one it needs. Without any query word, the most recent
 * visible memories, with no ranks.
 */
export async function retrieveMemories(
  database: Database,
  clientId: string,
  retrieval: MemoryRetrieval,
  now: Date,
): Promise<RetrievedMemory[]> {
  const prepared = prepare(retrieval.queries, retrieval.weights ?? []);
  const { union, each, weights } = prepared;
  const conversationId = isUuid(retrieval.conversationId) ? retrieval.conversationId : null;
  const visible = `visible AS MATERIALIZED (
      ${visibleMemoriesByScope(`${MEMORY_HIT_COLUMNS}, category, seq, tsv`, VISIBLE_MEMORY_WINDOW, '$7')}
    )`;
  const parameters: unknown[] = [
    clientId,
    retrieval.userId,
    retrieval.customerId,
    conversationId,
    retrieval.types,
    retrieval.limit,
    // $7: the store clock's time, which decides which memories are still current.
    now,
  ];
  const categories = retrieval.categories ?? [];
  if (union === '' && categories.length === 0) {
    const rows = await database.queryPrepared(
      'foresight_recent_memories',
      `WITH ${visible} SELECT ${MEMORY_HIT_COLUMNS} FROM visible ORDER BY seq DESC LIMIT $6`,
      parameters,
    );
    return rows.map((row) => ({
      memory: toMemoryHit(row),
      ranks: [] as number[],
      categoryMatch: false,
    }));
  }
  const shape: Shape = {
    queries: each.length,
    union: union !== '',
    category: categories.length > 0,
    all: true,
  };
  // In the order rankedStatement numbers them.
  if (shape.category) parameters.push(categories);
  if (shape.union) parameters.push(union);
  parameters.push(...each, ...weights);
  if (shape.category) parameters.push(retrieval.categoryWeight ?? DEFAULT_CATEGORY_WEIGHT);
  const rows = await database.queryPrepared(
    `foresight_memories_${shapeKey(shape)}`,
    `${rankedStatement({ name: 'visible', with: visible }, MEMORY_HIT_COLUMNS, shape, 8)} LIMIT $6`,
    parameters,
  );
  return rows.map((row) => ({
    memory: toMemoryHit(row),
    ranks: ranks(row, prepared),
    categoryMatch: shape.category && decimal(row, 'rank_category') > 0,
  }));
}

/**
 * The user's messages (within their customer when given) among their newest
 * `MESSAGE_WINDOW` that match any query. A message that a superseded or expired memory
 * was extracted from is left out: it states what is no longer true.
 */
export async function retrieveMessages(
  database: Database,
  clientId: string,
  retrieval: MessageRetrieval,
  now: Date,
): Promise<RetrievedMessage[]> {
  const prepared = prepare(retrieval.queries, retrieval.weights ?? []);
  const { union, each, weights } = prepared;
  if (union === '' || retrieval.userId === '') return [];
  const shape: Shape = { queries: each.length, union: true, category: false, all: false };
  const recent = `recent AS MATERIALIZED (
       SELECT ${MESSAGE_HIT_COLUMNS}, user_id, seq, tsv FROM messages
       WHERE client_id = $1 AND user_id = $2 AND ($3 = '' OR customer_id = $3)
       ORDER BY seq DESC LIMIT ${MESSAGE_WINDOW}
     )`;
  // Checked on the matching messages only: per message it reads the user's memories
  // that no longer hold, which over the whole window was most of the statement. A
  // message a superseded or expired memory came from states what is no longer true
  // ("rent is $1,850 until December 5"); the memory's own validity decides.
  const notSuperseded = `NOT EXISTS (
       SELECT 1 FROM memories m
       WHERE m.client_id = $1 AND m.user_id = ranked.user_id
         AND (m.superseded_by IS NOT NULL OR m.valid_until <= $5::timestamptz)
         AND ranked.id::text = ANY(m.source_message_ids)
     )`;
  const rows = await database.queryPrepared(
    `foresight_messages_${shapeKey(shape)}`,
    `${rankedStatement({ name: 'recent', with: recent, keep: notSuperseded }, MESSAGE_HIT_COLUMNS, shape, 6)} LIMIT $4`,
    // $5: the store clock's time, which decides which memories still hold.
    [
      clientId,
      retrieval.userId,
      retrieval.customerId,
      retrieval.limit,
      now,
      union,
      ...each,
      ...weights,
    ],
  );
  return rows.map((row) => ({ message: toMessageHit(row), ranks: ranks(row, prepared) }));
}
