import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from './database.js';
import type { IngestInput, IngestionRecord, IngestOutcome } from './records.js';
import { date, integer, text } from './row-mapping.js';
import { claimConversation, touchPeople } from './sql-messages.js';
import { isUuid } from './uuid.js';

/** Thrown inside the transaction to roll it back; answered as a conflict outside. */
class ConversationOwnedElsewhere extends Error {
  override readonly name = 'ConversationOwnedElsewhere';
}

/**
 * A whole transcript, once per conversation: the same transcript again is a
 * duplicate, another one a conflict. The turns are inserted in one statement, in
 * order, all in the transaction that claims the ingestion, so a failure leaves nothing.
 * A turn's timestamp, when given, becomes its message's `recorded_at`.
 */
export async function ingestTranscript(
  database: Database,
  clientId: string,
  input: IngestInput,
  now: Date,
): Promise<IngestOutcome> {
  if (!isUuid(input.conversationId))
    throw new Error('store: ingest conversation id must be a UUID');
  try {
    return await database.transaction((transaction) =>
      ingestInTransaction(transaction, clientId, input, now),
    );
  } catch (error) {
    if (error instanceof ConversationOwnedElsewhere) {
      return { status: 'conflict', ingestionId: '', field: 'user_id' };
    }
    throw error;
  }
}

async function ingestInTransaction(
  transaction: Queryable,
  clientId: string,
  input: IngestInput,
  now: Date,
): Promise<IngestOutcome> {
  // Claiming first: a concurrent ingest of the same conversation waits on this row and
  // then finds it, instead of inserting the turns twice.
  const [claimed] = await transaction.query(
    `INSERT INTO ingestions (client_id, conversation_id, ingestion_id, transcript_hash, turns)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (client_id, conversation_id) DO NOTHING
     RETURNING ingestion_id`,
    [clientId, input.conversationId, randomUUID(), input.transcriptHash, input.turns.length],
  );
  if (!claimed) {
    const [existing] = await transaction.query(
      `SELECT ingestion_id, transcript_hash, turns FROM ingestions
       WHERE client_id = $1 AND conversation_id = $2`,
      [clientId, input.conversationId],
    );
    if (!existing) throw new Error('store: ingestion row vanished');
    // Whose it is comes first: another user or customer must learn nothing of the
    // owner's ingestion, not even that it is a duplicate.
    if (!(await claimConversation(transaction, clientId, input, now)))
      throw new ConversationOwnedElsewhere();
    const ingestionId = text(existing, 'ingestion_id');
    return text(existing, 'transcript_hash') === input.transcriptHash
      ? { status: 'duplicate', ingestionId, turnsRecorded: integer(existing, 'turns') }
      : { status: 'conflict', ingestionId };
  }
  const ingestionId = text(claimed, 'ingestion_id');
  if (!(await claimConversation(transaction, clientId, input, now)))
    throw new ConversationOwnedElsewhere();
  if (input.turns.length > 0) {
    // ORDER BY the ordinality makes the rows, and so their seq values, follow the transcript.
    await transaction.query(
      `INSERT INTO messages (client_id, conversation_id, user_id, customer_id, session_id, role, content,
                             metadata, recorded_at)
       SELECT $1, $2, $3, $4, $5, turn.role, turn.content, $6::text::jsonb,
              coalesce(turn.occurred_at::timestamptz, $10::timestamptz)
       FROM unnest($7::text[], $8::text[], $9::text[]) WITH ORDINALITY
         AS turn (role, content, occurred_at, position)
       ORDER BY turn.position`,
      [
        clientId,
        input.conversationId,
        input.userId,
        input.customerId,
        input.sessionId,
        JSON.stringify({ ...input.metadata, ingestion_id: ingestionId }),
        input.turns.map((turn) => turn.role),
        input.turns.map((turn) => turn.content),
        input.turns.map((turn) => turn.timestamp?.toISOString() ?? null),
        now,
      ],
    );
    await transaction.query(
      `UPDATE conversations SET message_count = message_count + $3, updated_at = $4
       WHERE client_id = $1 AND id = $2`,
      [clientId, input.conversationId, input.turns.length, now],
    );
  }
  await touchPeople(transaction, clientId, input, now);
  return { status: 'queued', ingestionId, turnsRecorded: input.turns.length };
}

/** One ingestion by the id its answer gave (the status route); null when unknown here. */
export async function getIngestion(
  database: Queryable,
  clientId: string,
  ingestionId: string,
): Promise<IngestionRecord | null> {
  const [row] = await database.query(
    `SELECT conversation_id, ingestion_id, turns, created_at FROM ingestions
     WHERE client_id = $1 AND ingestion_id = $2`,
    [clientId, ingestionId],
  );
  if (!row) return null;
  return {
    ingestionId: text(row, 'ingestion_id'),
    conversationId: text(row, 'conversation_id'),
    turns: integer(row, 'turns'),
    createdAt: date(row, 'created_at'),
  };
}
