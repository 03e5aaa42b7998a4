import type { Database } from './database.js';
import type {
  MemoryRetrieval,
  MessageRetrieval,
  RetrievedMemory,
  RetrievedMessage,
} from './records.js';
import { decimal, toMemoryHit, toMessageHit } from './row-mapping.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

/**
 * Retrieval reads the memories an event may see first (its conversation's, its user's,
 * its customer's, the client's: a few hundred rows through the btree indexes) and
 * matches text on those only. Left to itself the planner ANDs a GIN scan of every row
 * in the store that holds a query word, which costs time in proportion to the whole
 * store (2 ms at 100k rows, growing); scope first costs in proportion to what the user
 * owns. The windows bound that cost for the heaviest users: the newest memories and
 * messages within them are searched.
 */
export const VISIBLE_MEMORY_WINDOW = 5000;
export const MESSAGE_WINDOW = 1000;
const MAX_QUERIES = 16;

const CURRENT = 'superseded_by IS NULL AND (valid_until IS NULL OR valid_until > now())';

// Only what a bundle item and its ranking need: in PGlite, turning result rows into
// JavaScript is most of a small query's time, and jsonb and tenant ids are not needed.
const MEMORY_HIT_COLUMNS = `id, scope, memory_type, content, entity_id, subject_key, confidence,
  event_date, valid_until, temporal_category, source_message_ids, created_at`;
const MESSAGE_HIT_COLUMNS = 'id, conversation_id, role, content, recorded_at';

// The queries parsed once per statement: to_tsquery stems every word through the
// english dictionary, and called per row it was most of the statement's time.
const QUERIES = (union: string, queries: string) => `
  q AS MATERIALIZED (
    SELECT to_tsquery('english', ${union}) AS any_word,
           array(SELECT to_tsquery('english', text)
                 FROM unnest(${queries}::text[]) WITH ORDINALITY AS t(text, ord)
                 ORDER BY ord) AS each_query
  )`;

// Each matching row's rank per query (0 where it does not match: ts_rank_cd can be
// non-zero on a partial cover), then the weighted sum of the saturated ranks that
// picks the rows worth sending back. Ranking proper happens in the engine; this only
// has to keep the right rows within the limit.
const WEIGHTED = (source: string, weights: string) => `
  scored AS (
    SELECT v.*, array(
      SELECT CASE WHEN v.tsv @@ query THEN ts_rank_cd(v.tsv, query) ELSE 0 END
      FROM unnest(q.each_query) WITH ORDINALITY AS e(query, ord)
      ORDER BY ord) AS ranks
    FROM ${source} AS v, q
    WHERE v.tsv @@ q.any_word
  ),
  weighted AS (
    SELECT scored.*, (
      SELECT coalesce(sum(w * r / (r + 0.1)), 0)
      FROM unnest(scored.ranks, ${weights}::float8[]) AS x(r, w)
    ) AS weight
    FROM scored
  )`;

/** Each non-empty query as tsquery text, its weight, and the union of all their words. */
function prepare(
  queries: readonly string[],
  weights: readonly number[],
): { union: string; each: string[]; weights: number[] } {
  const each: string[] = [];
  const kept: number[] = [];
  queries.slice(0, MAX_QUERIES).forEach((query, at) => {
    const text = toAnyWordQuery(query);
    if (text === '') return;
    each.push(text);
    kept.push(weights[at] ?? 1);
  });
  return { union: toAnyWordQuery(each.join(' ').replaceAll('|', ' ')), each, weights: kept };
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
  const { union, each, weights } = prepare(retrieval.queries, retrieval.weights ?? []);
  const conversationId = isUuid(retrieval.conversationId) ? retrieval.conversationId : null;
  const visible = `
    visible AS MATERIALIZED (
      SELECT ${MEMORY_HIT_COLUMNS}, seq, tsv FROM memories
      WHERE client_id = $1 AND ${CURRENT}
        AND (cardinality($5::text[]) = 0 OR memory_type = ANY($5::text[]))
        AND (
          (scope = 'conversation' AND conversation_id = $4::uuid)
          OR (scope = 'user' AND $2 <> '' AND user_id = $2 AND ($3 = '' OR customer_id = $3))
          OR (scope = 'customer' AND $3 <> '' AND customer_id = $3)
          OR scope = 'client'
        )
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
  if (union === '') {
    const rows = await database.query(
      `WITH ${visible} SELECT ${MEMORY_HIT_COLUMNS} FROM visible ORDER BY seq DESC LIMIT $6`,
      parameters,
    );
    return rows.map((row) => ({ memory: toMemoryHit(row), ranks: [] }));
  }
  const rows = await database.query(
    `WITH ${visible}, ${QUERIES('$7', '$8')}, ${WEIGHTED('visible', '$9')}
     SELECT ${MEMORY_HIT_COLUMNS}, ranks FROM weighted
     ORDER BY weight DESC, seq DESC LIMIT $6`,
    [...parameters, union, each, weights],
  );
  return rows.map((row) => ({ memory: toMemoryHit(row), ranks: ranks(row) }));
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
  const { union, each, weights } = prepare(retrieval.queries, retrieval.weights ?? []);
  if (union === '' || retrieval.userId === '') return [];
  const rows = await database.query(
    `WITH recent AS MATERIALIZED (
       SELECT ${MESSAGE_HIT_COLUMNS}, user_id, seq, tsv FROM messages
       WHERE client_id = $1 AND user_id = $2 AND ($3 = '' OR customer_id = $3)
       ORDER BY seq DESC LIMIT ${MESSAGE_WINDOW}
     ), ${QUERIES('$5', '$6')}, ${WEIGHTED('recent', '$7')}
     SELECT ${MESSAGE_HIT_COLUMNS}, ranks FROM weighted AS w
     WHERE NOT EXISTS (
       SELECT 1 FROM memories m
       WHERE m.client_id = $1 AND m.user_id = w.user_id AND m.superseded_by IS NOT NULL
         AND w.id::text = ANY(m.source_message_ids)
     )
     ORDER BY weight DESC, seq DESC LIMIT $4`,
    [clientId, retrieval.userId, retrieval.customerId, retrieval.limit, union, each, weights],
  );
  return rows.map((row) => ({ message: toMessageHit(row), ranks: ranks(row) }));
}

function ranks(row: Record<string, unknown>): number[] {
  const value = row.ranks;
  if (!Array.isArray(value)) return [];
  return value.map((rank) => decimal({ rank }, 'rank'));
}
