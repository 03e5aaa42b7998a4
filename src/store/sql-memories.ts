import type { Database } from './database.js';
import type { MemoryRecord, MemorySearch, ScoredMemory } from './records.js';
import { decimal, toMemory } from './row-mapping.js';
import { MEMORY_COLUMNS } from './sql-memory-insert.js';
import { currentAt, visibleToScope } from './sql-memory-scope.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

/**
 * Current memories visible to the scope filter: the conversation's, the user's (within
 * their customer when one is given), the customer's, and the client's. Ranked by
 * ts_rank_cd against any word of the query; an empty query, or one that no visible
 * memory matches, answers the most recent (text_rank 0).
 */
export async function searchMemories(
  database: Database,
  clientId: string,
  search: MemorySearch,
  now: Date,
): Promise<ScoredMemory[]> {
  const conversationId = isUuid(search.conversationId) ? search.conversationId : null;
  const visible = visibleToScope('$7');
  const parameters = [
    clientId,
    search.userId,
    search.customerId,
    conversationId,
    search.types,
    search.limit,
    now,
  ];
  const query = toAnyWordQuery(search.query);
  const recent = () =>
    database.query(
      `SELECT ${MEMORY_COLUMNS}, 0 AS text_rank FROM memories WHERE ${visible}
       ORDER BY seq DESC LIMIT $6`,
      parameters,
    );
  let rows =
    query === ''
      ? await recent()
      : await database.query(
          `SELECT ${MEMORY_COLUMNS}, ts_rank_cd(tsv, query) AS text_rank
           FROM memories, to_tsquery('english', $8) AS query
           WHERE ${visible} AND tsv @@ query
           ORDER BY text_rank DESC, seq DESC LIMIT $6`,
          [...parameters, query],
        );
  // A query none of the scope's memories shares a word with ("facts and preferences
  // about this user") still deserves an answer: the most recent, as for no query.
  if (rows.length === 0 && query !== '') rows = await recent();
  return rows.map((row) => ({ memory: toMemory(row), textRank: decimal(row, 'text_rank') }));
}

/** Every given filter must match; without `includeSuperseded`, only current memories. */
export async function listMemories(
  database: Database,
  clientId: string,
  filter: {
    userId?: string;
    customerId?: string;
    conversationId?: string;
    includeSuperseded?: boolean;
    limit?: number;
  },
  now: Date,
): Promise<MemoryRecord[]> {
  if (filter.conversationId !== undefined && !isUuid(filter.conversationId)) return [];
  const rows = await database.query(
    `SELECT ${MEMORY_COLUMNS} FROM memories
     WHERE client_id = $1
       AND ($2::text IS NULL OR user_id = $2)
       AND ($3::text IS NULL OR customer_id = $3)
       AND ($4::uuid IS NULL OR conversation_id = $4)
       AND ($5::boolean OR (${currentAt('$7')}))
     ORDER BY seq DESC LIMIT $6`,
    [
      clientId,
      filter.userId ?? null,
      filter.customerId ?? null,
      filter.conversationId ?? null,
      filter.includeSuperseded ?? false,
      filter.limit ?? null,
      now,
    ],
  );
  return rows.map(toMemory);
}
