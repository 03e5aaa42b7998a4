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
  await recordEvents(database, clientId, [event]);
}

const EVENT_COLUMNS = 15;
// PostgreSQL takes at most 65 535 parameters a statement.
const EVENTS_PER_STATEMENT = Math.floor(65_535 / EVENT_COLUMNS);

/** Events in order, a few thousand a statement; an id already stored is skipped. */
export async function recordEvents(
  database: Database,
  clientId: string,
  events: readonly NewEvent[],
): Promise<void> {
  for (let at = 0; at < events.length; at += EVENTS_PER_STATEMENT) {
    const chunk = events.slice(at, at + EVENTS_PER_STATEMENT);
    const rows = chunk.map((_, index) => {
      const p = (column: number) => `$${index * EVENT_COLUMNS + column}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)},
        ${p(11)}::text::jsonb, ${p(12)}::text[], ${p(13)}::text[], ${p(14)}::text::jsonb, ${p(15)})`;
    });
    await database.query(
      `INSERT INTO events (client_id, id, conversation_id, user_id, customer_id, session_id, event_type, role,
         content, tool_name, tool_args, search_queries, context_types, metadata, occurred_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (client_id, id) DO NOTHING`,
      chunk.flatMap((event) => [
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
      ]),
    );
  }
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
