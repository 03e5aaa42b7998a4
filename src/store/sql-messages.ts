import type { Database, Queryable, StoreLogger } from './database.js';
import type {
  ConversationRecord,
  MessageRecord,
  MessageSearch,
  NewMessage,
  RecordOptions,
  RecordOutcome,
  ScoredMessage,
} from './records.js';
import { decimal, toConversation, toMessage } from './row-mapping.js';
import { errorMessage, isInputError } from './sql-errors.js';
import { enqueueJob } from './sql-jobs.js';
import { recordBatch } from './sql-message-batch.js';
import {
  findByIdempotencyKeys,
  invalidConversationId,
  MESSAGE_COLUMNS,
  ownedElsewhere,
  replayOf,
} from './sql-message-rules.js';
import { toAnyWordQuery } from './text-query.js';
import { isUuid } from './uuid.js';

/**
 * Records a batch in one transaction, in a fixed number of statements (sql-message-batch.ts):
 * one commit and one multi-row INSERT per batch is what makes batch ingest fast. When
 * the database refuses a value, that statement fails whole: the batch is recorded again
 * with each row behind a savepoint, so the bad row is rolled back alone and the others
 * commit together. If the database itself fails mid-batch, nothing of it committed, and
 * the rows are retried one transaction each so every row gets its own outcome. On every
 * path, `options.jobFor`'s job is queued in the transaction of the rows it names.
 */
export async function recordMessages(
  database: Database,
  clientId: string,
  messages: NewMessage[],
  options: RecordOptions,
  logger: StoreLogger,
  now: Date,
): Promise<RecordOutcome[]> {
  if (messages.length > 1) {
    try {
      return await database.transaction((transaction) =>
        recordBatch(transaction, clientId, messages, options, now),
      );
    } catch (error) {
      if (!isInputError(error)) {
        logger.warn(
          { error: errorMessage(error), clientId },
          'batch record failed; recording row by row',
        );
        return recordOneByOne(database, clientId, messages, options, logger, now);
      }
    }
    try {
      return await database.transaction((transaction) =>
        recordWithSavepoints(transaction, clientId, messages, options, now),
      );
    } catch (error) {
      logger.warn(
        { error: errorMessage(error), clientId },
        'batch record failed; recording row by row',
      );
    }
  }
  return recordOneByOne(database, clientId, messages, options, logger, now);
}

async function recordOneByOne(
  database: Database,
  clientId: string,
  messages: NewMessage[],
  options: RecordOptions,
  logger: StoreLogger,
  now: Date,
): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const message of messages) {
    try {
      outcomes.push(
        await database.transaction(async (transaction) => {
          const outcome = await recordMessage(transaction, clientId, message, now);
          await queueFollowUp(transaction, clientId, options, [outcome], now);
          return outcome;
        }),
      );
    } catch (error) {
      outcomes.push(failedRow(error, clientId, logger));
    }
  }
  return outcomes;
}

async function recordWithSavepoints(
  transaction: Queryable,
  clientId: string,
  messages: NewMessage[],
  options: RecordOptions,
  now: Date,
): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const message of messages) {
    await transaction.query('SAVEPOINT record_message');
    try {
      outcomes.push(await recordMessage(transaction, clientId, message, now));
      await transaction.query('RELEASE SAVEPOINT record_message');
    } catch (error) {
      // Only a bad row is survivable here; anything else fails the batch (see above).
      if (!isInputError(error)) throw error;
      await transaction.query('ROLLBACK TO SAVEPOINT record_message');
      outcomes.push({ ok: false, code: 'invalid_input', detail: errorMessage(error) });
    }
  }
  await queueFollowUp(transaction, clientId, options, outcomes, now);
  return outcomes;
}

/** Queues `options.jobFor`'s job for the rows these outcomes stored, if any. */
async function queueFollowUp(
  transaction: Queryable,
  clientId: string,
  options: RecordOptions,
  outcomes: readonly RecordOutcome[],
  now: Date,
): Promise<void> {
  const fresh = outcomes.flatMap((outcome) =>
    outcome.ok && !outcome.duplicate ? [outcome.message] : [],
  );
  const job = fresh.length > 0 ? options.jobFor?.(fresh) : null;
  if (job) await enqueueJob(transaction, clientId, job.kind, job.payload, now);
}

async function findByIdempotencyKey(
  queryable: Queryable,
  clientId: string,
  key: string,
): Promise<MessageRecord | undefined> {
  return (await findByIdempotencyKeys(queryable, clientId, [key])).get(key);
}

function failedRow(error: unknown, clientId: string, logger: StoreLogger): RecordOutcome {
  if (isInputError(error)) return { ok: false, code: 'invalid_input', detail: errorMessage(error) };
  // The database failed, not the row: say so without leaking internals.
  logger.warn({ error: errorMessage(error), clientId }, 'recording a message failed');
  return { ok: false, code: 'unavailable', detail: 'the message could not be stored; retry' };
}

/**
 * Records one message inside the caller's transaction: idempotency first, then the
 * conversation (created, or refused when another user owns it), then the row.
 */
async function recordMessage(
  transaction: Queryable,
  clientId: string,
  message: NewMessage,
  now: Date,
): Promise<RecordOutcome> {
  if (!isUuid(message.conversationId)) return invalidConversationId();
  if (message.idempotencyKey !== null) {
    const stored = await findByIdempotencyKey(transaction, clientId, message.idempotencyKey);
    if (stored) return replayOf(stored, message);
  }
  if (!(await claimConversation(transaction, clientId, message, now)))
    return ownedElsewhere(message.conversationId);
  const [inserted] = await transaction.query(
    `INSERT INTO messages (client_id, conversation_id, user_id, customer_id, session_id, role, content,
                           metadata, idempotency_key, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10)
     ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${MESSAGE_COLUMNS}`,
    [
      clientId,
      message.conversationId,
      message.userId,
      message.customerId,
      message.sessionId,
      message.role,
      message.content,
      JSON.stringify(message.metadata),
      message.idempotencyKey,
      // Extraction's "today" and TTLs start from recorded_at: the store clock's time.
      now,
    ],
  );
  if (!inserted) {
    // A concurrent retry with the same key committed between our check and insert.
    const stored = message.idempotencyKey
      ? await findByIdempotencyKey(transaction, clientId, message.idempotencyKey)
      : undefined;
    if (!stored) throw new Error('store: message insert returned no row');
    return replayOf(stored, message);
  }
  await transaction.query(
    'UPDATE conversations SET message_count = message_count + 1 WHERE client_id = $1 AND id = $2',
    [clientId, message.conversationId],
  );
  await touchPeople(transaction, clientId, message, now);
  return { ok: true, message: toMessage(inserted), duplicate: false };
}

/**
 * Creates the conversation for this user, or touches it when the user owns it; false
 * when another user does. A user is one person within one customer: the same user id
 * under another customer is someone else (a B2B client's customers each name their
 * own users), so a conversation is the owner's only when the customers agree too, or
 * one side names none (B2C). The conditional upsert also locks the row, so concurrent
 * writers to one conversation take turns and the answer cannot go stale.
 */
export async function claimConversation(
  transaction: Queryable,
  clientId: string,
  owner: { conversationId: string; userId: string; customerId: string },
  now: Date,
): Promise<boolean> {
  const rows = await transaction.query(
    `INSERT INTO conversations (client_id, id, user_id, customer_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (client_id, id) DO UPDATE SET updated_at = $5
       WHERE conversations.user_id = excluded.user_id
         AND (conversations.customer_id = excluded.customer_id
              OR conversations.customer_id = '' OR excluded.customer_id = '')
     RETURNING id`,
    [clientId, owner.conversationId, owner.userId, owner.customerId, now],
  );
  return rows.length > 0;
}

/** Keeps customers, users and sessions known, in one round trip. */
export async function touchPeople(
  transaction: Queryable,
  clientId: string,
  message: Pick<NewMessage, 'conversationId' | 'userId' | 'customerId' | 'sessionId'>,
  now: Date,
): Promise<void> {
  await transaction.query(
    `WITH customer AS (
       INSERT INTO customers (client_id, id) SELECT $1::text, $3::text WHERE $3::text <> ''
       ON CONFLICT DO NOTHING
     ), person AS (
       INSERT INTO users (client_id, id, customer_id, created_at, last_seen_at)
       VALUES ($1::text, $2::text, $3::text, $6::timestamptz, $6::timestamptz)
       ON CONFLICT (client_id, id) DO UPDATE SET last_seen_at = $6::timestamptz
     )
     INSERT INTO sessions (client_id, id, conversation_id, user_id, customer_id, started_at, last_seen_at)
     SELECT $1::text, $4::text, $5::uuid, $2::text, $3::text, $6::timestamptz, $6::timestamptz
     WHERE $4::text <> ''
     ON CONFLICT (client_id, id) DO UPDATE SET last_seen_at = $6::timestamptz`,
    [clientId, message.userId, message.customerId, message.sessionId, message.conversationId, now],
  );
}

export async function getConversation(
  database: Database,
  clientId: string,
  conversationId: string,
): Promise<ConversationRecord | null> {
  if (!isUuid(conversationId)) return null;
  // Prepared: every event of a conversation new to the engine reads its owner.
  const [row] = await database.queryPrepared(
    'foresight_get_conversation',
    `SELECT client_id, id, user_id, customer_id, created_at, updated_at, message_count
     FROM conversations WHERE client_id = $1 AND id = $2`,
    [clientId, conversationId],
  );
  return row ? toConversation(row) : null;
}

export async function listMessages(
  database: Database,
  clientId: string,
  conversationId: string,
  options: { afterSeq?: number; limit?: number; newestFirst?: boolean } = {},
): Promise<MessageRecord[]> {
  if (!isUuid(conversationId)) return [];
  // LIMIT NULL means no limit in PostgreSQL. Prepared: every event of a conversation
  // reads its latest turns.
  const order = options.newestFirst ? 'DESC' : 'ASC';
  const rows = await database.queryPrepared(
    `foresight_list_messages_${order.toLowerCase()}`,
    `SELECT ${MESSAGE_COLUMNS} FROM messages
     WHERE client_id = $1 AND conversation_id = $2 AND seq > $3
     ORDER BY seq ${order}
     LIMIT $4`,
    [clientId, conversationId, options.afterSeq ?? 0, options.limit ?? null],
  );
  return rows.map(toMessage);
}

/** These messages of the client, in recording order; ids unknown (or not UUIDs) are skipped. */
export async function getMessages(
  database: Database,
  clientId: string,
  ids: readonly string[],
): Promise<MessageRecord[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const rows = await database.query(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE client_id = $1 AND id = ANY($2::uuid[])
     ORDER BY seq`,
    [clientId, valid],
  );
  return rows.map(toMessage);
}

/**
 * The user's messages (optionally one conversation) matching any word of the query,
 * best first; an empty query answers the most recent. The customer narrows the search
 * when given (B2B user ids are only unique within a customer).
 */
export async function searchMessages(
  database: Database,
  clientId: string,
  search: MessageSearch,
): Promise<ScoredMessage[]> {
  const conversationId = search.conversationId || null;
  if (conversationId !== null && !isUuid(conversationId)) return [];
  const query = toAnyWordQuery(search.query);
  const filter = `client_id = $1 AND user_id = $2 AND ($3 = '' OR customer_id = $3)
    AND ($4::uuid IS NULL OR conversation_id = $4::uuid)`;
  const parameters = [clientId, search.userId, search.customerId, conversationId, search.limit];
  const rows =
    query === ''
      ? await database.query(
          `SELECT ${MESSAGE_COLUMNS}, 0 AS text_rank FROM messages WHERE ${filter}
           ORDER BY seq DESC LIMIT $5`,
          parameters,
        )
      : await database.query(
          `SELECT ${MESSAGE_COLUMNS}, ts_rank_cd(tsv, query) AS text_rank
           FROM messages, to_tsquery('english', $6) AS query
           WHERE ${filter} AND tsv @@ query
           ORDER BY text_rank DESC, seq DESC LIMIT $5`,
          [...parameters, query],
        );
  return rows.map((row) => ({ message: toMessage(row), textRank: decimal(row, 'text_rank') }));
}
