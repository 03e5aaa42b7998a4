import type { Database } from './database.js';
import type { CompactionRecord } from './records.js';
import { toCompaction } from './row-mapping.js';
import { isUuid } from './uuid.js';

const COMPACTION_COLUMNS = `client_id, id, conversation_id, status, strategy, target_tokens, summary, facts,
  decisions, preferences, current_state, original_token_count, compacted_token_count, through_seq,
  compacted_message_count, previous_id, error, created_at, completed_at`;

/**
 * A queued compaction, or null when the conversation already has one queued or
 * running: the compactions_active index decides, so replicas cannot both start one.
 */
export async function startCompaction(
  database: Database,
  clientId: string,
  input: { id: string; conversationId: string; strategy: string; targetTokens: number | null },
  now: Date,
): Promise<CompactionRecord | null> {
  if (!isUuid(input.conversationId))
    throw new Error('store: compaction conversation id must be a UUID');
  const [row] = await database.query(
    `INSERT INTO compactions (client_id, id, conversation_id, status, strategy, target_tokens, created_at)
     VALUES ($1, $2, $3, 'queued', $4, $5, $6)
     ON CONFLICT DO NOTHING
     RETURNING ${COMPACTION_COLUMNS}`,
    [clientId, input.id, input.conversationId, input.strategy, input.targetTokens, now],
  );
  return row ? toCompaction(row) : null;
}

/** Writes the outcome (or a status change such as `running`) of a compaction. */
export async function finishCompaction(
  database: Database,
  clientId: string,
  compaction: CompactionRecord,
  now: Date,
): Promise<void> {
  const finished = compaction.status === 'completed' || compaction.status === 'failed';
  await database.query(
    `UPDATE compactions SET status = $3, strategy = $4, target_tokens = $5, summary = $6,
       facts = $7::text[], decisions = $8::text[], preferences = $9::text[], current_state = $10::text::jsonb,
       original_token_count = $11, compacted_token_count = $12, through_seq = $13,
       compacted_message_count = $14, previous_id = $15, error = $16,
       completed_at = coalesce($17::timestamptz, CASE WHEN $18::boolean THEN $19::timestamptz END)
     WHERE client_id = $1 AND id = $2`,
    [
      clientId,
      compaction.id,
      compaction.status,
      compaction.strategy,
      compaction.targetTokens,
      compaction.summary,
      compaction.facts,
      compaction.decisions,
      compaction.preferences,
      JSON.stringify(compaction.currentState),
      Math.round(compaction.originalTokenCount),
      Math.round(compaction.compactedTokenCount),
      compaction.throughSeq,
      compaction.compactedMessageCount,
      compaction.previousId,
      compaction.error,
      compaction.completedAt,
      finished,
      now,
    ],
  );
}

export async function getCompaction(
  database: Database,
  clientId: string,
  compactionId: string,
): Promise<CompactionRecord | null> {
  const [row] = await database.query(
    `SELECT ${COMPACTION_COLUMNS} FROM compactions WHERE client_id = $1 AND id = $2`,
    [clientId, compactionId],
  );
  return row ? toCompaction(row) : null;
}

export async function latestCompaction(
  database: Database,
  clientId: string,
  conversationId: string,
  options: { status?: CompactionRecord['status'] } = {},
): Promise<CompactionRecord | null> {
  if (!isUuid(conversationId)) return null;
  // Prepared: every event of a conversation reads its latest compaction.
  const [row] = await database.queryPrepared(
    'foresight_latest_compaction',
    `SELECT ${COMPACTION_COLUMNS} FROM compactions
     WHERE client_id = $1 AND conversation_id = $2 AND ($3::text IS NULL OR status = $3)
     ORDER BY seq DESC LIMIT 1`,
    [clientId, conversationId, options.status ?? null],
  );
  return row ? toCompaction(row) : null;
}
