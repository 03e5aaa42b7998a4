import type { Database } from './database.js';
import type { BundleRecord, NewBundle } from './records.js';
import { toBundle } from './row-mapping.js';

const BUNDLE_COLUMNS = `client_id, id, seq, conversation_id, user_id, customer_id, in_reply_to_event_id,
  bundle_type, payload, retrieval_ms, created_at`;

export async function saveBundle(
  database: Database,
  clientId: string,
  bundle: NewBundle,
): Promise<BundleRecord> {
  const [row] = await database.query(
    `INSERT INTO bundles (client_id, id, conversation_id, user_id, customer_id, in_reply_to_event_id,
       bundle_type, payload, retrieval_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9)
     RETURNING ${BUNDLE_COLUMNS}`,
    bundleValues(clientId, bundle),
  );
  if (!row) throw new Error('store: bundle insert returned no row');
  return toBundle(row);
}

/** A bundle's row values, in the order both inserts name the columns. */
function bundleValues(clientId: string, bundle: NewBundle): unknown[] {
  return [
    clientId,
    bundle.id,
    bundle.conversationId,
    bundle.userId,
    bundle.customerId,
    bundle.inReplyToEventId,
    bundle.bundleType,
    JSON.stringify(bundle.payload),
    Math.round(bundle.retrievalMs),
  ];
}

const BUNDLE_COLUMNS_IN = 9;
const BUNDLES_PER_STATEMENT = Math.floor(65_535 / BUNDLE_COLUMNS_IN);

/** Bundles in order (their `seq` follows it), a few thousand a statement. */
export async function saveBundles(
  database: Database,
  clientId: string,
  bundles: readonly NewBundle[],
): Promise<void> {
  for (let at = 0; at < bundles.length; at += BUNDLES_PER_STATEMENT) {
    const chunk = bundles.slice(at, at + BUNDLES_PER_STATEMENT);
    const rows = chunk.map((_, index) => {
      const p = (column: number) => `$${index * BUNDLE_COLUMNS_IN + column}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::text::jsonb, ${p(9)})`;
    });
    await database.query(
      `INSERT INTO bundles (client_id, id, conversation_id, user_id, customer_id, in_reply_to_event_id,
         bundle_type, payload, retrieval_ms)
       VALUES ${rows.join(', ')}`,
      chunk.flatMap((bundle) => bundleValues(clientId, bundle)),
    );
  }
}

/**
 * The long-poll read: a conversation's bundles after the cursor, oldest first. An
 * empty user id reads every user's bundles of the conversation (a conversation has one
 * owner, so within the tenant this narrows nothing away).
 */
export async function listBundlesSince(
  database: Database,
  clientId: string,
  filter: {
    conversationId: string;
    userId: string;
    customerId?: string;
    afterSeq: number;
    limit: number;
  },
): Promise<BundleRecord[]> {
  const rows = await database.query(
    `SELECT ${BUNDLE_COLUMNS} FROM bundles
     WHERE client_id = $1 AND conversation_id = $2 AND ($3 = '' OR user_id = $3)
       AND ($6 = '' OR customer_id = $6) AND seq > $4
     ORDER BY seq LIMIT $5`,
    [
      clientId,
      filter.conversationId,
      filter.userId,
      filter.afterSeq,
      filter.limit,
      filter.customerId ?? '',
    ],
  );
  return rows.map(toBundle);
}
