import type { Queryable } from './database.js';
import type { MessageRecord, NewMessage, RecordOutcome } from './records.js';
import { text, toMessage } from './row-mapping.js';

export const MESSAGE_COLUMNS = `client_id, id, seq, conversation_id, user_id, customer_id, session_id, role,
  content, metadata, idempotency_key, recorded_at`;

/** The answer to a row whose conversation id is not a UUID. */
export function invalidConversationId(): RecordOutcome {
  return {
    ok: false,
    code: 'invalid_input',
    field: 'conversation_id',
    detail: 'conversation_id must be a UUID',
  };
}

/** The answer to a row written into a conversation another user owns. */
export function ownedElsewhere(conversationId: string): RecordOutcome {
  return {
    ok: false,
    code: 'conflict',
    field: 'user_id',
    detail: `conversation ${conversationId} belongs to another user`,
  };
}

/**
 * A stored row found by the idempotency key: the answer to a retry, but only a retry
 * of the same turn. The same key from another user, customer or conversation is a
 * collision, refused, never an answer with someone else's row; the same key with other
 * content is a client bug that would silently drop the new turn, refused as well.
 */
export function replayOf(
  stored: MessageRecord,
  message: Pick<NewMessage, 'conversationId' | 'userId' | 'customerId' | 'role' | 'content'>,
): RecordOutcome {
  const sameOwner =
    stored.conversationId === message.conversationId &&
    stored.userId === message.userId &&
    stored.customerId === message.customerId;
  const rule = !sameOwner
    ? 'was already used for another conversation or user'
    : stored.role !== message.role || stored.content !== message.content
      ? 'was already used for a message with other content'
      : undefined;
  if (rule === undefined) return { ok: true, message: stored, duplicate: true };
  return {
    ok: false,
    code: 'conflict',
    field: 'client_token',
    rule,
    detail: `client_token: this idempotency key (client_token or Idempotency-Key) ${rule}`,
  };
}

/** The stored rows of these idempotency keys, by key, in one statement. */
export async function findByIdempotencyKeys(
  queryable: Queryable,
  clientId: string,
  keys: readonly string[],
): Promise<Map<string, MessageRecord>> {
  if (keys.length === 0) return new Map();
  const rows = await queryable.query(
    `SELECT ${MESSAGE_COLUMNS} FROM messages
     WHERE client_id = $1 AND idempotency_key = ANY($2::text[])`,
    [clientId, keys],
  );
  return new Map(rows.map((row) => [text(row, 'idempotency_key'), toMessage(row)]));
}
