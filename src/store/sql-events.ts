import type { Database } from './database.js';
import type { NewEvent, TelemetryInput } from './records.js';

/**
 * Keeps a conversation event. The id is the client's `event_id` when it sent one, and
 * clients replay queued events after a reconnect, so a repeated id is ignored.
 */
export async function recordEvent(
  database: Database,
  clientId: string,
  event: NewEvent,
): Promise<void> {
  await database.query(
    `INSERT INTO events (client_id, id, conversation_id, user_id, customer_id, session_id, event_type, role,
       content, tool_name, tool_args, search_queries, context_types, metadata, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12::text[], $13::text[],
             $14::text::jsonb, $15)
     ON CONFLICT (client_id, id) DO NOTHING`,
    [
      clientId,
      event.id,
      event.conversationId,
      event.userId,
      event.customerId,
      event.sessionId,
      event.eventType,
      event.role,
      event.content,
      event.toolName,
      // undefined is not JSON; an absent argument object is stored as SQL NULL.
      event.toolArgs === undefined ? null : JSON.stringify(event.toolArgs),
      event.searchQueries,
      event.contextTypes,
      JSON.stringify(event.metadata),
      event.occurredAt,
    ],
  );
}

/** All events of one call in one statement; answers how many were stored. */
export async function recordTelemetry(
  database: Database,
  clientId: string,
  events: TelemetryInput[],
): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await database.query(
    `INSERT INTO telemetry_events (client_id, event_type, payload)
     SELECT $1, event.event_type, event.payload::jsonb
     FROM unnest($2::text[], $3::text[]) AS event (event_type, payload)
     RETURNING id`,
    [
      clientId,
      events.map((event) => event.eventType),
      events.map((event) => JSON.stringify(event.payload)),
    ],
  );
  return rows.length;
}
