import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from './database.js';
import type { MemoryRecord, MemorySearch, NewMemory, ScoredMemory } from './records.js';
import { decimal, toMemory } from './row-mapping.js';
import { currentAt, visibleToScope } from './sql-memory-scope.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

const MEMORY_COLUMNS = `client_id, id, scope, user_id, customer_id, conversation_id, memory_type, content,
  entity_id, subject_key, confidence, category, strength, significance, participants, event_date,
  valid_until, superseded_by, temporal_category, source_message_ids, metadata, created_at`;

/** First key of the two-key advisory locks that serialize writers of one memory subject. */
const SUBJECT_LOCK_CLASS = 0x4d656d; // "Mem"

/** In one transaction and in input order, so a later memory of a batch supersedes an earlier one. */
export function insertMemories(
  database: Database,
  clientId: string,
  memories: NewMemory[],
  now: Date,
): Promise<MemoryRecord[]> {
  if (memories.length === 0) return Promise.resolve([]);
  return database.transaction(async (transaction) => {
    const inserted: MemoryRecord[] = [];
    for (const memory of memories)
      inserted.push(await insertMemory(transaction, clientId, memory, now));
    return inserted;
  });
}

async function insertMemory(
  transaction: Queryable,
  clientId: string,
  memory: NewMemory,
  now: Date,
): Promise<MemoryRecord> {
  const id = randomUUID();
  // '' is how callers often say "no conversation"; the column is a nullable uuid.
  const conversationId = memory.conversationId || null;
  if (memory.subjectKey !== '') {
    const subject = [
      clientId,
      memory.scope,
      memory.userId,
      memory.customerId,
      conversationId,
      memory.memoryType,
      memory.subjectKey,
    ];
    // Without the lock, two writers of one subject both miss each other's new row and
    // the second fails on the memories_current_subject index instead of superseding.
    await transaction.query('SELECT pg_advisory_xact_lock($1::integer, hashtext($2))', [
      SUBJECT_LOCK_CLASS,
      JSON.stringify(subject),
    ]);
    await transaction.query(
      `UPDATE memories SET superseded_by = $8,
         valid_until = least(coalesce(valid_until, $9::timestamptz), $9::timestamptz)
       WHERE client_id = $1 AND scope = $2 AND user_id = $3 AND customer_id = $4
         AND conversation_id IS NOT DISTINCT FROM $5::uuid AND memory_type = $6 AND subject_key = $7
         AND superseded_by IS NULL`,
      [...subject, id, now],
    );
  }
  if (memory.supersedes && memory.supersedes.length > 0) {
    await transaction.query(
      `UPDATE memories SET superseded_by = $5,
         valid_until = least(coalesce(valid_until, $6::timestamptz), $6::timestamptz)
       WHERE client_id = $1 AND user_id = $2 AND customer_id = $3 AND id = ANY($4::uuid[])
         AND superseded_by IS NULL`,
      [clientId, memory.userId, memory.customerId, memory.supersedes.filter(isUuid), id, now],
    );
  }
  const [row] = await transaction.query(
    `INSERT INTO memories (client_id, id, scope, user_id, customer_id, conversation_id, memory_type, content,
       entity_id, subject_key, confidence, category, strength, significance, participants, event_date,
       valid_until, temporal_category, source_message_ids, metadata, valid_from, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::text[], $16, $17, $18,
             $19::text[], $20::text::jsonb, $21, $21)
     RETURNING ${MEMORY_COLUMNS}`,
    [
      clientId,
      id,
      memory.scope,
      memory.userId,
      memory.customerId,
      conversationId,
      memory.memoryType,
      memory.content,
      memory.entityId,
      memory.subjectKey,
      memory.confidence,
      memory.category,
      memory.strength,
      memory.significance,
      memory.participants,
      memory.eventDate,
      memory.validUntil,
      memory.temporalCategory,
      memory.sourceMessageIds,
      JSON.stringify(memory.metadata),
      // Ranking's recency reads created_at against the same clock.
      now,
    ],
  );
  if (!row) throw new Error('store: memory insert returned no row');
  return toMemory(row);
}

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
