import type { Database } from './database.js';
import type { MemoryOwner } from './memory-owners.js';
import type { OwnedMemory, SourceTurn } from './records.js';
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
  let turns = new Map<string, SourceTurn>();
  if (owner.scope === 'user') {
    rows = await database.queryPrepared(
      'foresight_owned_user_memories',
      `SELECT * FROM (
         (SELECT ${columns}, seq FROM memories WHERE ${current} AND scope = 'user'
            AND user_id = $2 AND ($3 = '' OR customer_id = $3) ORDER BY seq DESC LIMIT $4)
         UNION ALL
         (SELECT ${columns}, seq FROM memories WHERE ${current} AND scope = 'conversation'
            AND user_id = $2 AND ($3 = '' OR customer_id = $3) ORDER BY seq DESC LIMIT $4)
       ) AS owned ORDER BY seq DESC LIMIT $4`,
      [clientId, owner.userId, owner.customerId, limit],
    );
    turns = await sourceTurns(database, clientId, rows);
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
    sourceTurn: turns.get(firstSource(row) ?? '') ?? null,
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A memory row's first source message id, when it is one a recorded message can have. */
function firstSource(row: Record<string, unknown>): string | undefined {
  const ids = row.source_message_ids;
  const first = Array.isArray(ids) ? ids[0] : undefined;
  return typeof first === 'string' && UUID.test(first) ? first.toLowerCase() : undefined;
}

/**
 * Where each memory's first source message was said (its conversation and recording
 * order), in one statement by primary key. The ids are checked to be uuids here, so an
 * import's own source ids ("legacy-42") find nothing instead of failing the cast.
 */
async function sourceTurns(
  database: Database,
  clientId: string,
  rows: readonly Record<string, unknown>[],
): Promise<Map<string, SourceTurn>> {
  const ids = [...new Set(rows.map(firstSource).filter((id) => id !== undefined))];
  const turns = new Map<string, SourceTurn>();
  if (ids.length === 0) return turns;
  const found = await database.queryPrepared(
    'foresight_source_turns',
    `SELECT m.id, m.conversation_id, m.seq FROM unnest($2::text[]) AS source (id)
     JOIN messages AS m ON m.client_id = $1 AND m.id = source.id::uuid`,
    [clientId, ids],
  );
  for (const row of found) {
    turns.set(String(row.id).toLowerCase(), {
      conversationId: String(row.conversation_id),
      seq: Number(row.seq),
    });
  }
  return turns;
}
