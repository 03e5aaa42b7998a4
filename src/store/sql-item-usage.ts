import type { Database } from './database.js';
import type { ItemUsage, UsageReport } from './records.js';
import { date, text } from './row-mapping.js';

/** Items a report may name: a bundle carries at most a few dozen. */
const MAX_ITEMS = 64;
/** Usage rows read back per user, most recently used first. */
export const USAGE_ROWS = 2000;

/**
 * Records that the client used these items of one bundle it was served. Only items the
 * bundle really carried count, for the user the bundle was made for; a report that names
 * a user (or customer) counts only for a bundle of theirs ('' means the bundle's own).
 * A report can neither invent items nor touch another user's learning. Answers how
 * many items were counted.
 */
export async function recordItemUsage(
  database: Database,
  clientId: string,
  report: UsageReport,
  now: Date,
): Promise<number> {
  const wanted = [...new Set(report.itemIds)].slice(0, MAX_ITEMS);
  if (wanted.length === 0 || report.bundleId === '') return 0;
  // Every item of the reported bundle was served once more; the reported ones were used.
  const rows = await database.query(
    `WITH served AS (
       SELECT b.user_id, b.customer_id, coalesce(e.tool_name, '') AS tool_name,
              jsonb_path_query_array(b.payload, '$.items_by_type.*[*].item_id') AS items
       FROM bundles b
       LEFT JOIN events e ON e.client_id = b.client_id AND e.id = b.in_reply_to_event_id
       WHERE b.client_id = $1 AND b.id = $2 AND ($3 = '' OR b.user_id = $3)
         AND ($4 = '' OR b.customer_id = $4)
     ),
     reported AS (
       SELECT served.*, item.id AS item_id, (item.id = ANY($5::text[])) AS used
       FROM served, jsonb_array_elements_text(served.items) AS item(id)
       WHERE EXISTS (SELECT 1 FROM unnest($5::text[]) AS wanted(id)
                     WHERE served.items @> to_jsonb(ARRAY[wanted.id]))
     )
     INSERT INTO item_usage AS u
       (client_id, user_id, customer_id, tool_name, item_id, uses, serves, last_used_at)
     SELECT $1, user_id, customer_id, tool_name, item_id, CASE WHEN used THEN 1 ELSE 0 END, 1, $6
     FROM reported
     ON CONFLICT (client_id, user_id, customer_id, tool_name, item_id)
     DO UPDATE SET uses = u.uses + excluded.uses, serves = u.serves + 1,
       last_used_at = CASE WHEN excluded.uses > 0 THEN excluded.last_used_at ELSE u.last_used_at END
     RETURNING item_id`,
    [clientId, report.bundleId, report.userId, report.customerId, wanted, now],
  );
  const used = new Set(wanted);
  return rows.filter((row) => used.has(String(row.item_id))).length;
}

/** What a user's agent was served and used, per tool, most recently used first. */
export async function listItemUsage(
  database: Database,
  clientId: string,
  owner: { userId: string; customerId: string },
): Promise<ItemUsage[]> {
  const rows = await database.queryPrepared(
    'foresight_item_usage',
    `SELECT tool_name, item_id, uses, serves, last_used_at FROM item_usage
     WHERE client_id = $1 AND user_id = $2 AND customer_id = $3
     ORDER BY last_used_at DESC LIMIT ${USAGE_ROWS}`,
    [clientId, owner.userId, owner.customerId],
  );
  return rows.map((row) => ({
    toolName: text(row, 'tool_name'),
    itemId: text(row, 'item_id'),
    uses: Number(row.uses),
    serves: Number(row.serves),
    lastUsedAt: date(row, 'last_used_at'),
  }));
}
