import type { Database } from './database.js';
import type { MemoryToEmbed, SimilarMemories, SimilarMemory } from './records.js';
import { decimal, text, toMemoryHit } from './row-mapping.js';
import { currentAt, MEMORY_HIT_COLUMNS, visibleToScope } from './sql-memory-scope.js';
import { VISIBLE_MEMORY_WINDOW } from './sql-retrieval.js';
import { isUuid } from './uuid.js';

/** Current memories without an embedding yet, oldest first, across clients (the indexer's work). */
export async function memoriesToEmbed(
  database: Database,
  limit: number,
  now: Date,
): Promise<MemoryToEmbed[]> {
  if (!database.vectors) return [];
  const rows = await database.query(
    `SELECT client_id, id, content FROM memories
     WHERE embedding IS NULL AND ${currentAt('$2')}
     ORDER BY seq LIMIT $1`,
    [limit, now],
  );
  return rows.map((row) => ({
    clientId: text(row, 'client_id'),
    id: text(row, 'id'),
    content: text(row, 'content'),
  }));
}

/** Stores each memory's embedding; one transaction. */
export async function saveEmbeddings(
  database: Database,
  embeddings: { clientId: string; id: string; vector: number[] }[],
): Promise<void> {
  if (!database.vectors || embeddings.length === 0) return;
  await database.transaction(async (transaction) => {
    for (const { clientId, id, vector } of embeddings) {
      await transaction.query(
        'UPDATE memories SET embedding = $3::vector WHERE client_id = $1 AND id = $2',
        [clientId, id, `[${vector.join(',')}]`],
      );
    }
  });
}

/**
 * Current memories visible to the scope (the rule of sql-retrieval.ts), nearest to
 * `vector` by cosine distance. Scope first, as there, so the cost follows what the
 * user owns, not the store; a vector of another dimension than the stored ones
 * matches nothing rather than failing.
 */
export async function similarMemories(
  database: Database,
  clientId: string,
  search: SimilarMemories,
  now: Date,
): Promise<SimilarMemory[]> {
  if (!database.vectors || search.vector.length === 0) return [];
  const conversationId = isUuid(search.conversationId) ? search.conversationId : null;
  const rows = await database.query(
    `WITH visible AS MATERIALIZED (
       SELECT ${MEMORY_HIT_COLUMNS}, seq, embedding FROM memories
       WHERE ${visibleToScope('$9')}
         AND embedding IS NOT NULL AND vector_dims(embedding) = $7
       ORDER BY seq DESC LIMIT ${VISIBLE_MEMORY_WINDOW}
     )
     SELECT ${MEMORY_HIT_COLUMNS}, 1 - (embedding <=> $8::vector) AS cosine
     FROM visible ORDER BY embedding <=> $8::vector LIMIT $6`,
    [
      clientId,
      search.userId,
      search.customerId,
      conversationId,
      search.types,
      search.limit,
      search.vector.length,
      `[${search.vector.join(',')}]`,
      now,
    ],
  );
  return rows.map((row) => ({ memory: toMemoryHit(row), cosine: decimal(row, 'cosine') }));
}
