import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from './database.js';
import type { MemoryRecord, NewMemory } from './records.js';
import { text, toMemory } from './row-mapping.js';
import { isUuid } from './uuid.js';

export const MEMORY_COLUMNS = `client_id, id, scope, user_id, customer_id, conversation_id, memory_type, content,
  entity_id, subject_key, confidence, category, strength, significance, participants, event_date,
  valid_until, superseded_by, temporal_category, source_message_ids, metadata, created_at`;

/** First key of the two-key advisory locks that serialize writers of one memory subject. */
const SUBJECT_LOCK_CLASS = 0x4d656d; // "Mem"

/** What memory_current_subject indexes: who owns a subject and what it is. */
interface Subject {
  scope: string;
  userId: string;
  customerId: string;
  conversationId: string | null;
  memoryType: string;
  subjectKey: string;
}

/**
 * Inserts a batch in one transaction, in at most five statements whatever its size,
 * with the outcome of inserting the memories one after the other in input order:
 * a memory with a subject key supersedes the current memory of its subject (a stored
 * one, or an earlier one of the batch), a memory's `supersedes` ids are superseded
 * when they are its owner's and still current, and a row already superseded stays
 * with the memory that superseded it first.
 */
export function insertMemories(
  database: Database,
  clientId: string,
  memories: NewMemory[],
  now: Date,
): Promise<MemoryRecord[]> {
  if (memories.length === 0) return Promise.resolve([]);
  return database.transaction((transaction) =>
    insertInTransaction(transaction, clientId, memories, now),
  );
}

async function insertInTransaction(
  transaction: Queryable,
  clientId: string,
  memories: readonly NewMemory[],
  now: Date,
): Promise<MemoryRecord[]> {
  const ids = memories.map(() => randomUUID());
  const subjects = new Map<string, Subject>();
  for (const memory of memories) {
    const subject = subjectOf(memory);
    if (subject) subjects.set(subjectName(clientId, subject), subject);
  }
  const explicit = [
    ...new Set(memories.flatMap((memory) => (memory.supersedes ?? []).filter(isUuid))),
  ];
  // Without the locks, two writers of one subject both miss each other's new row and
  // the second fails on the memories_current_subject index instead of superseding.
  // Taken in sorted order, so two batches sharing subjects never wait on each other.
  const lockNames = [...subjects.keys()].sort();
  if (lockNames.length > 0)
    await transaction.query(
      `SELECT pg_advisory_xact_lock($1::integer, hashtext(name))
       FROM unnest($2::text[]) AS subject (name)`,
      [SUBJECT_LOCK_CLASS, lockNames],
    );
  const bySubject = await currentOfSubjects(transaction, clientId, subjects);
  const byId = await currentByIds(transaction, clientId, explicit);

  // In input order, as one insert after another would do: each stored row goes to the
  // first memory that supersedes it; an earlier memory of the batch goes to the next
  // one of its subject.
  const supersededBy = new Map<string, string>();
  const latestOfSubject = new Map<string, number>();
  const chained = new Map<number, string>();
  memories.forEach((memory, index) => {
    const id = ids[index] as string;
    const subject = subjectOf(memory);
    if (subject) {
      const name = subjectName(clientId, subject);
      for (const stored of bySubject.get(name) ?? [])
        if (!supersededBy.has(stored)) supersededBy.set(stored, id);
      const earlier = latestOfSubject.get(name);
      if (earlier !== undefined) chained.set(earlier, id);
      latestOfSubject.set(name, index);
    }
    for (const target of memory.supersedes ?? []) {
      const owner = byId.get(target.toLowerCase());
      if (
        owner &&
        owner.userId === memory.userId &&
        owner.customerId === memory.customerId &&
        !supersededBy.has(target.toLowerCase())
      )
        supersededBy.set(target.toLowerCase(), id);
    }
  });
  if (supersededBy.size > 0) {
    const targets = [...supersededBy.keys()].sort();
    await transaction.query(
      `UPDATE memories SET superseded_by = replaced.by,
         valid_until = least(coalesce(valid_until, $4::timestamptz), $4::timestamptz)
       FROM unnest($2::uuid[], $3::uuid[]) AS replaced (id, by)
       WHERE memories.client_id = $1 AND memories.id = replaced.id
         AND memories.superseded_by IS NULL`,
      [clientId, targets, targets.map((target) => supersededBy.get(target)), now],
    );
  }
  return insertRows(transaction, clientId, memories, ids, chained, now);
}

function subjectOf(memory: NewMemory): Subject | undefined {
  if (memory.subjectKey === '') return undefined;
  return {
    scope: memory.scope,
    userId: memory.userId,
    customerId: memory.customerId,
    // '' is how callers often say "no conversation"; the column is a nullable uuid.
    conversationId: memory.conversationId ? memory.conversationId.toLowerCase() : null,
    memoryType: memory.memoryType,
    subjectKey: memory.subjectKey,
  };
}

function subjectName(clientId: string, subject: Subject): string {
  return JSON.stringify([
    clientId,
    subject.scope,
    subject.userId,
    subject.customerId,
    subject.conversationId,
    subject.memoryType,
    subject.subjectKey,
  ]);
}

/** The current stored memories of each subject (one at most, by the unique index), locked. */
async function currentOfSubjects(
  transaction: Queryable,
  clientId: string,
  subjects: ReadonlyMap<string, Subject>,
): Promise<Map<string, string[]>> {
  if (subjects.size === 0) return new Map();
  const names = [...subjects.keys()];
  const list = [...subjects.values()];
  const rows = await transaction.query(
    // LATERAL: one index probe per subject, whatever the planner knows of the table
    // (PGlite never runs autovacuum, so it may know nothing and choose to scan).
    `SELECT current.id, subject.name
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])
       AS subject (name, scope, user_id, customer_id, conversation_id, memory_type, subject_key)
     CROSS JOIN LATERAL (
       SELECT id FROM memories
       WHERE client_id = $1 AND scope = subject.scope AND user_id = subject.user_id
         AND customer_id = subject.customer_id
         AND coalesce(conversation_id, '00000000-0000-0000-0000-000000000000'::uuid)
           = coalesce(subject.conversation_id, '00000000-0000-0000-0000-000000000000'::uuid)
         AND memory_type = subject.memory_type AND subject_key = subject.subject_key
         AND superseded_by IS NULL AND subject_key <> ''
       FOR UPDATE
     ) AS current`,
    [
      clientId,
      names,
      list.map((subject) => subject.scope),
      list.map((subject) => subject.userId),
      list.map((subject) => subject.customerId),
      list.map((subject) => subject.conversationId),
      list.map((subject) => subject.memoryType),
      list.map((subject) => subject.subjectKey),
    ],
  );
  const found = new Map<string, string[]>();
  for (const row of rows) {
    const name = text(row, 'name');
    found.set(name, [...(found.get(name) ?? []), text(row, 'id').toLowerCase()]);
  }
  return found;
}

/** The owners of these ids among current memories, locked; others are left alone. */
async function currentByIds(
  transaction: Queryable,
  clientId: string,
  ids: readonly string[],
): Promise<Map<string, { userId: string; customerId: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await transaction.query(
    `SELECT id, user_id, customer_id FROM memories
     WHERE client_id = $1 AND id = ANY($2::uuid[]) AND superseded_by IS NULL
     FOR UPDATE`,
    [clientId, ids],
  );
  return new Map(
    rows.map((row) => [
      text(row, 'id').toLowerCase(),
      { userId: text(row, 'user_id'), customerId: text(row, 'customer_id') },
    ]),
  );
}

/** One INSERT, rows in input order (their seq follows it), answered in input order. */
async function insertRows(
  transaction: Queryable,
  clientId: string,
  memories: readonly NewMemory[],
  ids: readonly string[],
  chained: ReadonlyMap<number, string>,
  now: Date,
): Promise<MemoryRecord[]> {
  // A memory a later one of the batch replaces ends where the later one begins: now.
  const validUntil = memories.map((memory, index) =>
    chained.has(index)
      ? new Date(Math.min(memory.validUntil?.getTime() ?? now.getTime(), now.getTime()))
      : memory.validUntil,
  );
  const rows = await transaction.query(
    `INSERT INTO memories (client_id, id, scope, user_id, customer_id, conversation_id, memory_type,
       content, entity_id, subject_key, confidence, category, strength, significance, participants,
       event_date, valid_until, superseded_by, temporal_category, source_message_ids, metadata,
       valid_from, created_at)
     SELECT $1, row.id, row.scope, row.user_id, row.customer_id, row.conversation_id,
       row.memory_type, row.content, row.entity_id, row.subject_key, row.confidence, row.category,
       row.strength, row.significance, ARRAY(SELECT json_array_elements_text(row.participants)),
       row.event_date, row.valid_until, row.superseded_by, row.temporal_category,
       ARRAY(SELECT json_array_elements_text(row.source_message_ids)),
       row.metadata::jsonb, $22, $22
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                 $9::text[], $10::text[], $11::real[], $12::text[], $13::real[], $14::real[],
                 $15::json[], $16::timestamptz[], $17::timestamptz[], $18::uuid[], $19::text[],
                 $20::json[], $21::text[]) WITH ORDINALITY
       AS row (id, scope, user_id, customer_id, conversation_id, memory_type, content, entity_id,
               subject_key, confidence, category, strength, significance, participants, event_date,
               valid_until, superseded_by, temporal_category, source_message_ids, metadata, position)
     ORDER BY row.position
     RETURNING ${MEMORY_COLUMNS}`,
    [
      clientId,
      ids,
      memories.map((memory) => memory.scope),
      memories.map((memory) => memory.userId),
      memories.map((memory) => memory.customerId),
      memories.map((memory) => memory.conversationId || null),
      memories.map((memory) => memory.memoryType),
      memories.map((memory) => memory.content),
      memories.map((memory) => memory.entityId),
      memories.map((memory) => memory.subjectKey),
      memories.map((memory) => memory.confidence),
      memories.map((memory) => memory.category),
      memories.map((memory) => memory.strength),
      memories.map((memory) => memory.significance),
      // Arrays of arrays must be rectangular in SQL: each list travels as JSON.
      memories.map((memory) => JSON.stringify(memory.participants)),
      memories.map((memory) => memory.eventDate),
      validUntil,
      memories.map((_, index) => chained.get(index) ?? null),
      memories.map((memory) => memory.temporalCategory),
      memories.map((memory) => JSON.stringify(memory.sourceMessageIds)),
      memories.map((memory) => JSON.stringify(memory.metadata)),
      // Ranking's recency reads created_at against the same clock.
      now,
    ],
  );
  const byId = new Map(rows.map((row) => [text(row, 'id'), toMemory(row)]));
  return ids.map((id) => {
    const record = byId.get(id);
    if (!record) throw new Error('store: memory insert returned no row');
    return record;
  });
}
