import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';
import type {
  FollowUpJob,
  MessageRecord,
  NewMessage,
  PendingMessage,
  RecordOptions,
  RecordOutcome,
} from './records.js';
import { date, integer, text } from './row-mapping.js';
import {
  findByIdempotencyKeys,
  invalidConversationId,
  ownedElsewhere,
  replayOf,
} from './sql-message-rules.js';
import { isUuid } from './uuid.js';

interface Owner {
  userId: string;
  customerId: string;
}

/**
 * Records a batch inside the caller's transaction in a fixed number of statements,
 * whatever its size: the stored idempotency keys, the conversations (created or
 * locked), every new row in one multi-row INSERT, the conversations' counts, and the
 * customers, users and sessions. The outcomes are those of recording the rows one
 * after the other (sql-messages.ts `recordMessage`): a key already stored, or used by
 * an earlier row of the batch, answers that row; a conversation belongs to whoever
 * first wrote to it. A value the database refuses fails the whole statement, so the
 * caller retries such a batch row by row.
 */
export async function recordBatch(
  transaction: Queryable,
  clientId: string,
  messages: readonly NewMessage[],
  options: RecordOptions,
  now: Date,
): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = messages.map((message) =>
    isUuid(message.conversationId) ? undefined : invalidConversationId(),
  );
  const keys = new Set<string>();
  messages.forEach((message, index) => {
    if (outcomes[index] === undefined && message.idempotencyKey !== null)
      keys.add(message.idempotencyKey);
  });
  const byKey = await findByIdempotencyKeys(transaction, clientId, [...keys]);
  const claiming: number[] = [];
  messages.forEach((message, index) => {
    if (outcomes[index] !== undefined) return;
    const stored = message.idempotencyKey === null ? undefined : byKey.get(message.idempotencyKey);
    if (stored) outcomes[index] = replayOf(stored, message);
    else claiming.push(index);
  });

  // In input order, as one row after another would be: a key taken by an earlier row
  // of this batch answers that row; a conversation refuses whoever does not own it. A
  // row answered by an earlier one claims nothing, so its conversation is claimed only
  // if that earlier row is refused after all (a second, rare round).
  const owners = new Map<string, Owner>();
  let decided: Decisions;
  for (;;) {
    decided = decide(messages, claiming, owners);
    if (decided.unclaimed.length === 0) break;
    const claimed = await claimConversations(transaction, clientId, decided.unclaimed, now);
    for (const [id, owner] of claimed) owners.set(id, owner);
  }
  const { accepted, replays } = decided;
  for (const [index, conversationId] of decided.refused)
    outcomes[index] = ownedElsewhere(conversationId);

  const pending = accepted.map(
    (index): PendingMessage => ({ ...(messages[index] as NewMessage), id: randomUUID() }),
  );
  const job = pending.length > 0 ? (options.jobFor?.(pending) ?? null) : null;
  const inserted = await insertRows(transaction, clientId, pending, job, now);
  const raced: string[] = [];
  accepted.forEach((index, position) => {
    const record = inserted[position];
    if (record) outcomes[index] = { ok: true, message: record, duplicate: false };
    else raced.push((messages[index] as NewMessage).idempotencyKey as string);
  });
  // A concurrent retry with the same key committed between our read and our insert.
  const racedRows = await findByIdempotencyKeys(transaction, clientId, raced);
  for (const index of [...accepted, ...replays.keys()]) {
    if (outcomes[index] !== undefined) continue;
    const message = messages[index] as NewMessage;
    const target = replays.get(index) ?? index;
    const first = outcomes[target];
    const stored =
      first?.ok && !first.duplicate
        ? first.message
        : racedRows.get(message.idempotencyKey as string);
    if (!stored) throw new Error('store: message insert returned no row');
    outcomes[index] = replayOf(stored, message);
  }

  return outcomes.map((outcome) => {
    if (!outcome) throw new Error('store: a batch row got no outcome');
    return outcome;
  });
}

interface Decisions {
  /** Rows to insert, in input order. */
  accepted: number[];
  /** Row → the earlier row of the batch whose key it repeats. */
  replays: Map<number, number>;
  /** Rows refused: their conversation is someone else's. */
  refused: Map<number, string>;
  /** Rows whose conversation must be claimed before they can be decided. */
  unclaimed: NewMessage[];
}

function decide(
  messages: readonly NewMessage[],
  claiming: readonly number[],
  owners: ReadonlyMap<string, Owner>,
): Decisions {
  const decided: Decisions = {
    accepted: [],
    replays: new Map(),
    refused: new Map(),
    unclaimed: [],
  };
  const earlierWithKey = new Map<string, number>();
  for (const index of claiming) {
    const message = messages[index] as NewMessage;
    const key = message.idempotencyKey;
    const earlier = key === null ? undefined : earlierWithKey.get(key);
    const owner = owners.get(message.conversationId.toLowerCase());
    if (earlier !== undefined) decided.replays.set(index, earlier);
    else if (owner && !owns(owner, message)) decided.refused.set(index, message.conversationId);
    else {
      // Undecided until its conversation is claimed, it still holds its key for later rows.
      if (owner) decided.accepted.push(index);
      else decided.unclaimed.push(message);
      if (key !== null) earlierWithKey.set(key, index);
    }
  }
  return decided;
}

function owns(stored: Owner | undefined, message: Owner): boolean {
  return (
    stored !== undefined &&
    stored.userId === message.userId &&
    (stored.customerId === message.customerId ||
      stored.customerId === '' ||
      message.customerId === '')
  );
}

/**
 * Creates each conversation of the batch that is new, owned by its first row's user,
 * and locks every one of them (so concurrent writers to one conversation take turns);
 * answers their owners. The no-op update is what locks and returns an existing row.
 * Ids go in sorted, so two batches lock shared conversations in one order.
 */
async function claimConversations(
  transaction: Queryable,
  clientId: string,
  messages: readonly NewMessage[],
  now: Date,
): Promise<Map<string, Owner>> {
  const first = new Map<string, NewMessage>();
  for (const message of messages) {
    const id = message.conversationId.toLowerCase();
    if (!first.has(id)) first.set(id, message);
  }
  if (first.size === 0) return new Map();
  const ids = [...first.keys()].sort();
  const rows = await transaction.query(
    `INSERT INTO conversations (client_id, id, user_id, customer_id, created_at, updated_at)
     SELECT $1, claim.id, claim.user_id, claim.customer_id, $5, $5
     FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY
       AS claim (id, user_id, customer_id, position)
     ORDER BY claim.position
     ON CONFLICT (client_id, id) DO UPDATE SET updated_at = conversations.updated_at
     RETURNING id, user_id, customer_id`,
    [
      clientId,
      ids,
      ids.map((id) => first.get(id)?.userId),
      ids.map((id) => first.get(id)?.customerId),
      now,
    ],
  );
  return new Map(
    rows.map((row) => [
      text(row, 'id').toLowerCase(),
      { userId: text(row, 'user_id'), customerId: text(row, 'customer_id') },
    ]),
  );
}

/**
 * One statement for the batch's rows: the INSERT, rows in input order (ORDER BY the
 * ordinality makes their seq values follow it), and what follows from the rows it
 * inserted: the conversations' counts and times, the customers, users and sessions
 * kept known (each once, the first message's values winning as they would message
 * after message, in sorted order for a stable lock order), and the follow-up job. The
 * ids come with the rows so each returned row finds its input; a row a concurrent
 * writer's key took is missing (a job naming it finds nothing under its id).
 */
async function insertRows(
  transaction: Queryable,
  clientId: string,
  messages: readonly PendingMessage[],
  job: FollowUpJob | null,
  now: Date,
): Promise<(MessageRecord | undefined)[]> {
  if (messages.length === 0) return [];
  const rows = await transaction.query(
    `WITH inserted AS (
       INSERT INTO messages (client_id, id, conversation_id, user_id, customer_id, session_id,
                             role, content, metadata, idempotency_key, recorded_at)
       SELECT $1, row.id, row.conversation_id, row.user_id, row.customer_id, row.session_id,
              row.role, row.content, row.metadata::jsonb, row.idempotency_key, $11
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::text[], $10::text[]) WITH ORDINALITY
         AS row (id, conversation_id, user_id, customer_id, session_id, role, content, metadata,
                 idempotency_key, position)
       ORDER BY row.position
       ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id, seq, conversation_id, user_id, customer_id, session_id, recorded_at
     ), counted AS (
       UPDATE conversations SET message_count = message_count + added.count, updated_at = $11
       FROM (SELECT conversation_id, count(*) AS count FROM inserted GROUP BY conversation_id)
         AS added
       WHERE conversations.client_id = $1 AND conversations.id = added.conversation_id
     ), customer AS (
       INSERT INTO customers (client_id, id)
       SELECT DISTINCT $1::text, customer_id FROM inserted WHERE customer_id <> ''
       ORDER BY 2
       ON CONFLICT DO NOTHING
     ), person AS (
       INSERT INTO users (client_id, id, customer_id, created_at, last_seen_at)
       SELECT DISTINCT ON (user_id) $1::text, user_id, customer_id, $11::timestamptz,
              $11::timestamptz
       FROM inserted ORDER BY user_id, seq
       ON CONFLICT (client_id, id) DO UPDATE SET last_seen_at = $11::timestamptz
     ), session AS (
       INSERT INTO sessions (client_id, id, conversation_id, user_id, customer_id, started_at,
                             last_seen_at)
       SELECT DISTINCT ON (session_id) $1::text, session_id, conversation_id, user_id,
              customer_id, $11::timestamptz, $11::timestamptz
       FROM inserted WHERE session_id <> '' ORDER BY session_id, seq
       ON CONFLICT (client_id, id) DO UPDATE SET last_seen_at = $11::timestamptz
     ), queued AS (
       INSERT INTO jobs (client_id, kind, payload, run_after, created_at, updated_at)
       SELECT $1, $12::text, $13::text::jsonb, $11, $11, $11
       WHERE $12::text IS NOT NULL AND EXISTS (SELECT 1 FROM inserted)
     )
     SELECT id, seq, conversation_id, recorded_at FROM inserted`,
    [
      clientId,
      messages.map((message) => message.id),
      messages.map((message) => message.conversationId),
      messages.map((message) => message.userId),
      messages.map((message) => message.customerId),
      messages.map((message) => message.sessionId),
      messages.map((message) => message.role),
      messages.map((message) => message.content),
      messages.map((message) => JSON.stringify(message.metadata)),
      messages.map((message) => message.idempotencyKey),
      // Extraction's "today" and TTLs start from recorded_at: the store clock's time; and
      // the job is due from it, as enqueueJob's are.
      now,
      job?.kind ?? null,
      job ? JSON.stringify(job.payload) : null,
    ],
  );
  // Only what the database made is read back: the rest is what was sent.
  const byId = new Map(rows.map((row) => [text(row, 'id'), row]));
  return messages.map((message) => {
    const row = byId.get(message.id);
    if (!row) return undefined;
    return {
      ...message,
      clientId,
      seq: integer(row, 'seq'),
      conversationId: text(row, 'conversation_id'),
      recordedAt: date(row, 'recorded_at'),
    };
  });
}
