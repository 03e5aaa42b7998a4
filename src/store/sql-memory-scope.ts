/**
 * The tenancy rule of memory reads, written once: a memory is visible to an event
 * when it is current (not superseded, not expired) and belongs to the event's
 * conversation, its user (within their customer when one is given), its customer, or
 * the whole client. Every statement that serves memories to a prompt uses it.
 *
 * "Not expired" is judged at `now`, the statement parameter (e.g. `'$7'`) holding the
 * store clock's time, never at SQL `now()`: the server's clock decides what a reader
 * sees, on every backend alike.
 */
export function currentAt(now: string): string {
  return `superseded_by IS NULL AND (valid_until IS NULL OR valid_until > ${now}::timestamptz)`;
}

/**
 * The WHERE clause of a memory read, over parameters $1 client id, $2 user id,
 * $3 customer id, $4 conversation id (uuid or null), $5 memory types ([] = all), and
 * the current time at parameter `now` (see `currentAt`).
 */
export function visibleToScope(now: string): string {
  return `client_id = $1 AND ${currentAt(now)}
  AND (cardinality($5::text[]) = 0 OR memory_type = ANY($5::text[]))
  AND (
    (scope = 'conversation' AND conversation_id = $4::uuid)
    OR (scope = 'user' AND $2 <> '' AND user_id = $2 AND ($3 = '' OR customer_id = $3))
    OR (scope = 'customer' AND $3 <> '' AND customer_id = $3)
    OR scope = 'client'
  )`;
}

/**
 * `visibleToScope` as one branch per scope, for a prepared statement (same
 * parameters): the newest `window` visible memories with `columns`. A generic plan
 * cannot fold the rule's ORs over parameters, and over the one-clause form it read the
 * whole table (39 ms at 100k memories); each branch here keeps its scope's index, and a
 * branch whose parameter is empty is skipped whole.
 */
export function visibleMemoriesByScope(columns: string, window: number, now: string): string {
  const current = `${currentAt(now)} AND (cardinality($5::text[]) = 0 OR memory_type = ANY($5::text[]))`;
  const branch = (where: string) =>
    `(SELECT ${columns} FROM memories WHERE client_id = $1 AND ${where} AND ${current}
      ORDER BY seq DESC LIMIT ${window})`;
  return `SELECT * FROM (
      ${branch(`scope = 'conversation' AND conversation_id = $4::uuid`)}
      UNION ALL ${branch(`scope = 'user' AND $2 <> '' AND user_id = $2 AND ($3 = '' OR customer_id = $3)`)}
      UNION ALL ${branch(`scope = 'customer' AND $3 <> '' AND customer_id = $3`)}
      UNION ALL ${branch(`scope = 'client'`)}
    ) AS visible_by_scope ORDER BY seq DESC LIMIT ${window}`;
}

/**
 * The columns a bundle item and its ranking need (row-mapping `toMemoryHit`). In
 * PGlite, turning result rows into JavaScript is a good part of a small query's
 * time, and jsonb and tenant ids are not needed there.
 */
export const MEMORY_HIT_COLUMNS = `id, scope, memory_type, content, entity_id, subject_key,
  confidence, event_date, valid_until, temporal_category, source_message_ids, created_at`;
