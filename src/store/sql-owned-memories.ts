import type { Database } from './database.js';
import type { MemoryOwner } from './memory-owners.js';
import type { OwnedMemory } from './records.js';
import { toMemoryHit } from './row-mapping.js';
import { MEMORY_HIT_COLUMNS } from './sql-memory-scope.js';

/**
 * The owner's memories that no newer one replaced, newest first, at most `limit`,
 * expired ones included: the reader judges validity at its own time, so a cached copy
 * stays right as the clock moves (engine/memory-working-set.ts). Each scope reads
 * through its own index, as retrieval does.
 */
export async function listOwnedMemories(
  database: Database,
  clientId: string,
  owner: MemoryOwner,
  limit: number,
): Promise<OwnedMemory[]> {
  const columns = `${MEMORY_HIT_COLUMNS}, category, conversation_id`;
  const current = 'client_id = $1 AND superseded_by IS NULL';
  let rows: Record<string, unknown>[];
  if (owner.scope === 'user') {
    // Each memory's first source message, by its primary key: where it was said. A
    // source id that is no uuid (an import's own) has no recorded message to find.
    rows = await database.queryPrepared(
      'foresight_owned_user_memories',
      `SELECT owned.*, source.conversation_id AS source_conversation_id, source.seq AS source_seq
       FROM (SELECT * FROM (
         (SELECT ${columns}, seq FROM memories WHERE ${current} AND scope = 'user'
            AND user_id = $2 AND ($3 = '' OR customer_id = $3) ORDER BY seq DESC LIMIT $4)
         UNION ALL
         (SELECT ${columns}, seq FROM memories WHERE ${current} AND scope = 'conversation'
            AND user_id = $2 AND ($3 = '' OR customer_id = $3) ORDER BY seq DESC LIMIT $4)
       ) AS candidates ORDER BY seq DESC LIMIT $4) AS owned
       LEFT JOIN messages AS source ON source.client_id = $1 AND source.id = (
         CASE WHEN owned.source_message_ids[1] ~ '^[0-9a-fA-F-]{36}$'
           THEN owned.source_message_ids[1]::uuid END)
       ORDER BY owned.seq DESC`,
      [clientId, owner.userId, owner.customerId, limit],
    );
  } else if (owner.scope === 'customer') {
    rows = await database.queryPrepared(
      'foresight_owned_customer_memories',
      `SELECT ${columns} FROM memories WHERE ${current} AND scope = 'customer' AND customer_id = $2
       ORDER BY seq DESC LIMIT $3`,
      [clientId, owner.customerId, limit],
    );
  } else {
    rows = await database.queryPrepared(
      'foresight_owned_client_memories',
      `SELECT ${columns} FROM memories WHERE ${current} AND scope = 'client'
       ORDER BY seq DESC LIMIT $2`,
      [clientId, limit],
    );
  }
  return rows.map((row) => ({
    memory: toMemoryHit(row),
    category: typeof row.category === 'string' ? row.category : null,
    conversationId: typeof row.conversation_id === 'string' ? row.conversation_id : null,
    sourceTurn:
      typeof row.source_conversation_id === 'string' && row.source_seq != null
        ? { conversationId: row.source_conversation_id, seq: Number(row.source_seq) }
        : null,
  }));
}
