import type { Database } from './database.js';
import type { RetiredSource, UserMessage } from './records.js';
import { date, integer, text, toMessageHit } from './row-mapping.js';

/** A message as the working set holds it (`toUserMessage`). */
const COLUMNS = 'id, conversation_id, role, content, recorded_at, customer_id, seq';

/**
 * A user's newest messages, every customer's, newest first, at most `limit`: what the
 * engine's message working set holds (engine/message-working-set.ts). Read through
 * `messages_user`.
 */
export async function listUserMessages(
  database: Database,
  clientId: string,
  userId: string,
  limit: number,
): Promise<UserMessage[]> {
  const rows = await database.queryPrepared(
    'foresight_user_messages',
    `SELECT ${COLUMNS} FROM messages
     WHERE client_id = $1 AND user_id = $2 ORDER BY seq DESC LIMIT $3`,
    [clientId, userId, limit],
  );
  return rows.map(toUserMessage);
}

/** These messages of the user, newest first; ids not found (or another user's) are skipped. */
export async function getUserMessages(
  database: Database,
  clientId: string,
  userId: string,
  ids: readonly string[],
): Promise<UserMessage[]> {
  if (ids.length === 0) return [];
  const rows = await database.query(
    `SELECT ${COLUMNS} FROM messages
     WHERE client_id = $1 AND user_id = $2 AND id::text = ANY($3::text[]) ORDER BY seq DESC`,
    [clientId, userId, [...ids]],
  );
  return rows.map(toUserMessage);
}

/**
 * The messages a user's memory came from that no longer holds: replaced by a newer
 * memory (`retiredAt` null: for good), or valid until a time (from then on). A message
 * saying what its memory no longer says ("rent is $1,850 until December") is not served
 * as a past message either.
 */
export async function listRetiredSources(
  database: Database,
  clientId: string,
  userId: string,
): Promise<RetiredSource[]> {
  const rows = await database.queryPrepared(
    'foresight_retired_sources',
    `SELECT source.id, MIN(CASE WHEN m.superseded_by IS NOT NULL THEN NULL ELSE m.valid_until END)
              AS retired_at,
            BOOL_OR(m.superseded_by IS NOT NULL) AS superseded
     FROM memories m, unnest(m.source_message_ids) AS source (id)
     WHERE m.client_id = $1 AND m.user_id = $2
       AND (m.superseded_by IS NOT NULL OR m.valid_until IS NOT NULL)
     GROUP BY source.id`,
    [clientId, userId],
  );
  return rows.map((row) => ({
    messageId: text(row, 'id'),
    retiredAt: row.superseded === true || row.retired_at === null ? null : date(row, 'retired_at'),
  }));
}

function toUserMessage(row: Record<string, unknown>): UserMessage {
  return {
    message: toMessageHit(row),
    customerId: text(row, 'customer_id'),
    seq: integer(row, 'seq'),
  };
}
