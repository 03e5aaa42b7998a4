import type { Database } from './database.js';
import type { BundleRecord, MemoryRecord } from './records.js';
import { textOrNull, toBundle, toMemory } from './row-mapping.js';
import { isUuid } from './uuid.js';

// The reads of `foresight inspect`: what an operator looks at, never on a request path.

/** A saved bundle and the event it answered, when that event was recorded. */
export interface InspectedBundle {
  bundle: BundleRecord;
  event: { eventType: string; toolName: string; toolArgs: unknown } | null;
}

const MEMORY_COLUMNS = `m.client_id, m.id, m.scope, m.user_id, m.customer_id, m.conversation_id, m.memory_type,
  m.content, m.entity_id, m.subject_key, m.confidence, m.category, m.strength, m.significance,
  m.participants, m.event_date, m.valid_until, m.superseded_by, m.temporal_category,
  m.source_message_ids, m.metadata, m.created_at`;

/**
 * The newest bundles of a user, of a conversation, or of both, newest first, each with
 * the event it answered (joined on the event id the bundle echoes).
 */
export async function listRecentBundles(
  database: Database,
  clientId: string,
  filter: { userId?: string; conversationId?: string; limit: number },
): Promise<InspectedBundle[]> {
  const rows = await database.query(
    `SELECT b.client_id, b.id, b.seq, b.conversation_id, b.user_id, b.customer_id,
       b.in_reply_to_event_id, b.bundle_type, b.payload, b.retrieval_ms, b.created_at,
       e.event_type, e.tool_name, e.tool_args
     FROM bundles b
     LEFT JOIN events e ON e.client_id = b.client_id AND e.id = b.in_reply_to_event_id
     WHERE b.client_id = $1
       AND ($2::text IS NULL OR b.user_id = $2)
       AND ($3::text IS NULL OR b.conversation_id = $3)
     ORDER BY b.seq DESC LIMIT $4`,
    [clientId, filter.userId ?? null, filter.conversationId ?? null, filter.limit],
  );
  return rows.map((row) => {
    const eventType = textOrNull(row, 'event_type');
    return {
      bundle: toBundle(row),
      event:
        eventType === null
          ? null
          : {
              eventType,
              toolName: textOrNull(row, 'tool_name') ?? '',
              toolArgs: row.tool_args ?? null,
            },
    };
  });
}

/**
 * The memories a conversation produced or holds, current and superseded, newest first:
 * those scoped to it, and those extracted from its messages (user-scoped memories keep
 * the ids of the messages they came from, not the conversation's).
 */
export async function listConversationMemories(
  database: Database,
  clientId: string,
  conversationId: string,
  limit: number,
): Promise<MemoryRecord[]> {
  if (!isUuid(conversationId)) return [];
  const rows = await database.query(
    `SELECT ${MEMORY_COLUMNS} FROM memories m
     WHERE m.client_id = $1
       AND (m.conversation_id = $2::uuid OR m.source_message_ids && ARRAY(
         SELECT id::text FROM messages WHERE client_id = $1 AND conversation_id = $2::uuid))
     ORDER BY m.seq DESC LIMIT $3`,
    [clientId, conversationId, limit],
  );
  return rows.map(toMemory);
}
