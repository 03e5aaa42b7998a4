/**
 * The tenancy rule of memory reads, written once: a memory is visible to an event
 * when it is current (not superseded, not expired) and belongs to the event's
 * conversation, its user (within their customer when one is given), its customer, or
 * the whole client. Every statement that serves memories to a prompt uses it.
 */
export const CURRENT = 'superseded_by IS NULL AND (valid_until IS NULL OR valid_until > now())';

/**
 * The WHERE clause of a memory read, over parameters $1 client id, $2 user id,
 * $3 customer id, $4 conversation id (uuid or null) and $5 memory types ([] = all).
 */
export const VISIBLE_TO_SCOPE = `client_id = $1 AND ${CURRENT}
  AND (cardinality($5::text[]) = 0 OR memory_type = ANY($5::text[]))
  AND (
    (scope = 'conversation' AND conversation_id = $4::uuid)
    OR (scope = 'user' AND $2 <> '' AND user_id = $2 AND ($3 = '' OR customer_id = $3))
    OR (scope = 'customer' AND $3 <> '' AND customer_id = $3)
    OR scope = 'client'
  )`;

/**
 * The columns a bundle item and its ranking need (row-mapping `toMemoryHit`). In
 * PGlite, turning result rows into JavaScript is a good part of a small query's
 * time, and jsonb and tenant ids are not needed there.
 */
export const MEMORY_HIT_COLUMNS = `id, scope, memory_type, content, entity_id, subject_key,
  confidence, event_date, valid_until, temporal_category, source_message_ids, created_at`;
