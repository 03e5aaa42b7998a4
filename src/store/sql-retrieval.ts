import type { Database } from './database.js';
import type {
  MemoryRetrieval,
  MessageRetrieval,
  RetrievedMemory,
  RetrievedMessage,
} from './records.js';
import { decimal, toMemoryHit, toMessageHit } from './row-mapping.js';
import { MEMORY_HIT_COLUMNS, VISIBLE_TO_SCOPE } from './sql-memory-scope.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

/**
 * Retrieval reads the memories an event may see first (its conversation's, its user's,
 * its customer's, the client's: a few hundred rows through the btree indexes) and
 * matches text on those only. Left to itself the planner may AND a GIN scan of every
 * row in the store that holds a query word into the scope filter, a cost that follows
 * the whole store and how common the words are; scope first costs in proportion to
 * what the user owns (bench/retrieval-scale: flat from 100k to 1M memories). The windows bound that cost for the heaviest users: the newest memories and
 * messages within them are searched.
 */
export const VISIBLE_MEMORY_WINDOW = 5000;
export const MESSAGE_WINDOW = 1000;
const MAX_QUERIES = 16;
const DEFAULT_CATEGORY_WEIGHT = 0.5;

const MESSAGE_HIT_COLUMNS = 'id, conversation_id, role, content, recorded_at';

/**
 * The ranking part of a retrieval statement over `source`, for one query per weight
 * whose tsquery texts are parameters `$first`.. and the union of their words `$union`
 * (null: match by category only): one rank column
 * per query (0 where it does not match: ts_rank_cd can be non-zero on a partial
 * cover), and the weighted sum of the saturated ranks that picks the rows worth
 * sending back. Ranking proper happens in the engine; this only has to keep the right
 * rows within the limit. Written out per query rather than over an array: the
 * english to_tsquery of a parameter is folded once at planning, where over an array
 * it was parsed and stemmed again for every row. `OFFSET 0` keeps the planner from
 * flattening the subquery into the sort key, where every rank was computed a second
 * time (measured at 100k memories: 2.4 ms a statement with it flattened, 1.4 without).
 */
function rankedSelect(
  source: string,
  columns: string,
  weights: readonly number[],
  union: number | null,
  first: number,
  category?: { parameter: number; weight: number },
): string {
  const ranks = weights.map((_, at) => {
    const query = `to_tsquery('english', $${first + at})`;
    return `CASE WHEN tsv @@ ${query} THEN ts_rank_cd(tsv, ${query}) ELSE 0 END AS rank_${at}`;
  });
  // Weights are numbers the engine chose, not input: inlined as literals.
  const terms = weights.map(
    (value, at) => `${Number(value).toFixed(4)} * rank_${at} / (rank_${at} + 0.1)`,
  );
  const names = weights.map((_, at) => `rank_${at}`);
  const matches = union === null ? [] : [`tsv @@ to_tsquery('english', $${union})`];
  if (category) {
    const inCategory = `category = ANY($${category.parameter}::text[])`;
    // A category match stands for a modest text match (0.1 saturates to 0.5).
    ranks.push(`CASE WHEN ${inCategory} THEN 0.1 ELSE 0 END AS rank_category`);
    terms.push(`${Number(category.weight).toFixed(4)} * rank_category / (rank_category + 0.1)`);
    names.push('rank_category');
    matches.push(inCategory);
  }
  return `SELECT ${columns}, ${names.join(', ')}
    FROM (
      SELECT *, ${ranks.join(', ')}
      FROM ${source} WHERE ${matches.join(' OR ') || 'false'}
      OFFSET 0
    ) AS ranked
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
 * Current memories visible to the scope (the rule of `searchMemories`) that match any
 * query, best weighted match first, each with its rank per query. Without any query
 * word, the most recent visible memories, with no ranks.
 */
export async function retrieveMemories(
  database: Database,
  clientId: string,
  retrieval: MemoryRetrieval,
): Promise<RetrievedMemory[]> {
  const prepared = prepare(retrieval.queries, retrieval.weights ?? []);
  const { union, each, weights } = prepared;
  const conversationId = isUuid(retrieval.conversationId) ? retrieval.conversationId : null;
  const visible = `
    visible AS MATERIALIZED (
      SELECT ${MEMORY_HIT_COLUMNS}, category, seq, tsv FROM memories
      WHERE ${VISIBLE_TO_SCOPE}
      ORDER BY seq DESC LIMIT ${VISIBLE_MEMORY_WINDOW}
    )`;
  const parameters = [
    clientId,
    retrieval.userId,
    retrieval.customerId,
    conversationId,
    retrieval.types,
    retrieval.limit,
  ];
  const categories = retrieval.categories ?? [];
  if (union === '' && categories.length === 0) {
    const rows = await database.query(
      `WITH ${visible} SELECT ${MEMORY_HIT_COLUMNS} FROM visible ORDER BY seq DESC LIMIT $6`,
      parameters,
    );
    return rows.map((row) => ({
      memory: toMemoryHit(row),
      ranks: [] as number[],
      categoryMatch: false,
    }));
  }
  // PostgreSQL refuses a parameter the statement does not use: the categories
  // parameter is there only when they are.
  const category =
    categories.length > 0
      ? { parameter: 7, weight: retrieval.categoryWeight ?? DEFAULT_CATEGORY_WEIGHT }
      : undefined;
  const extra = category ? [categories] : [];
  const unionAt = union === '' ? null : 7 + extra.length;
  const firstAt = 7 + extra.length + (unionAt === null ? 0 : 1);
  const rows = await database.query(
    `WITH ${visible} ${rankedSelect('visible', MEMORY_HIT_COLUMNS, weights, unionAt, firstAt, category)} LIMIT $6`,
    [...parameters, ...extra, ...(unionAt === null ? [] : [union]), ...each],
  );
  return rows.map((row) => ({
    memory: toMemoryHit(row),
    ranks: ranks(row, prepared),
    categoryMatch: category !== undefined && decimal(row, 'rank_category') > 0,
  }));
}

/**
 * The user's messages (within their customer when given) among their newest
 * `MESSAGE_WINDOW` that match any query. A message that a superseded memory was
 * extracted from is left out: it states what is no longer true.
 */
export async function retrieveMessages(
  database: Database,
  clientId: string,
  retrieval: MessageRetrieval,
): Promise<RetrievedMessage[]> {
  const prepared = prepare(retrieval.queries, retrieval.weights ?? []);
  const { union, each, weights } = prepared;
  if (union === '' || retrieval.userId === '') return [];
  const rows = await database.query(
    `WITH recent AS MATERIALIZED (
       SELECT ${MESSAGE_HIT_COLUMNS}, user_id, seq, tsv FROM messages
       WHERE client_id = $1 AND user_id = $2 AND ($3 = '' OR customer_id = $3)
       ORDER BY seq DESC LIMIT ${MESSAGE_WINDOW}
     ), current AS (
       SELECT * FROM recent AS r
       WHERE NOT EXISTS (
         SELECT 1 FROM memories m
         WHERE m.client_id = $1 AND m.user_id = r.user_id AND m.superseded_by IS NOT NULL
           AND r.id::text = ANY(m.source_message_ids)
       )
     ) ${rankedSelect('current', MESSAGE_HIT_COLUMNS, weights, 5, 6)} LIMIT $4`,
    [clientId, retrieval.userId, retrieval.customerId, retrieval.limit, union, ...each],
  );
  return rows.map((row) => ({ message: toMessageHit(row), ranks: ranks(row, prepared) }));
}
