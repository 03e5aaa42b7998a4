import type { Database } from './database.js';
import type { BundleRecord, ConversationRecord, MemoryRecord, MessageRecord } from './records.js';
import {
  date,
  integer,
  object,
  text,
  toBundle,
  toConversation,
  toMemory,
  toMessage,
} from './row-mapping.js';
import { isUuid } from './uuid.js';

// The reads of the web inspector (src/server/inspector). Every page is one bounded,
// indexed query per list: conversations by conversations_recent, a conversation's
// events, bundles and messages by their (client_id, conversation_id, ...) indexes,
// a user's memories by memories_user, a supersession chain by primary key forward and
// memories_superseded_by backward. Every read takes the tenant first.

/** An event as the inspector shows it. */
export interface InspectedEvent {
  id: string;
  eventType: string;
  role: string;
  content: string;
  toolName: string;
  toolArgs: unknown;
  metadata: Record<string, unknown>;
  /** When the client sent it (its clock). */
  occurredAt: Date;
}

/** One page of a conversation: its events, the bundles answering them, its turns. */
export interface ConversationPage {
  events: InspectedEvent[];
  bundles: BundleRecord[];
  messages: MessageRecord[];
  /** Set when more events follow: the occurred_at/id cursor of the next page. */
  next: { occurredAt: Date; id: string } | undefined;
}

/** A memory and its insertion order (the paging cursor). */
export interface PagedMemory {
  memory: MemoryRecord;
  seq: number;
}

/** A memory with what it replaced and what replaced it, oldest first. */
export interface SupersessionChain {
  /** The memories it replaced and that replaced it, itself among them, oldest first. */
  chain: MemoryRecord[];
  /** The messages the chain's memories were extracted from, by id. */
  sources: Map<string, MessageRecord>;
}

const MEMORY_COLUMNS = `client_id, id, seq, scope, user_id, customer_id, conversation_id, memory_type,
  content, entity_id, subject_key, confidence, category, strength, significance,
  participants, event_date, valid_until, superseded_by, temporal_category,
  source_message_ids, metadata, created_at`;
const MESSAGE_COLUMNS = `client_id, id, seq, conversation_id, user_id, customer_id, session_id, role,
  content, metadata, idempotency_key, recorded_at`;
/** Longest supersession chain walked each way: chains are short; a cycle must not hang a page. */
const MAX_CHAIN = 50;

export class InspectorReads {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** A tenant's conversations, most recently updated first; `before` is the last row of the previous page. */
  async conversations(
    clientId: string,
    page: { limit: number; before?: { updatedAt: Date; id: string } },
  ): Promise<ConversationRecord[]> {
    const before = page.before && isUuid(page.before.id) ? page.before : undefined;
    const rows = await this.#database.query(
      `SELECT client_id, id, user_id, customer_id, created_at, updated_at, message_count
       FROM conversations
       WHERE client_id = $1
         AND ($2::timestamptz IS NULL OR (updated_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY updated_at DESC, id DESC LIMIT $4`,
      [clientId, before?.updatedAt ?? null, before?.id ?? null, page.limit],
    );
    return rows.map(toConversation);
  }

  /**
   * One page of a conversation's events (oldest first, from `after`), the bundles that
   * answered them, and the turns recorded in the same span of time.
   */
  async conversationPage(
    clientId: string,
    conversationId: string,
    page: { limit: number; after?: { occurredAt: Date; id: string } },
  ): Promise<ConversationPage> {
    const after = page.after;
    const eventRows = await this.#database.query(
      `SELECT id, event_type, role, content, tool_name, tool_args::text AS tool_args,
         metadata::text AS metadata, occurred_at
       FROM events
       WHERE client_id = $1 AND conversation_id = $2
         AND ($3::timestamptz IS NULL OR (occurred_at, id) > ($3::timestamptz, $4::text))
       ORDER BY occurred_at, id LIMIT $5`,
      [clientId, conversationId, after?.occurredAt ?? null, after?.id ?? null, page.limit + 1],
    );
    const more = eventRows.length > page.limit;
    const events = eventRows.slice(0, page.limit).map(toInspectedEvent);
    const last = events.at(-1);
    const next = more && last ? { occurredAt: last.occurredAt, id: last.id } : undefined;
    if (!isUuid(conversationId)) return { events, bundles: [], messages: [], next };
    const from = after?.occurredAt ?? null;
    const until = next?.occurredAt ?? null;
    const [bundleRows, messageRows] = await Promise.all([
      events.length === 0
        ? []
        : this.#database.query(
            // As text, parsed here: PGlite's own jsonb decoding of fifty bundles took
            // about half again as long as JSON.parse of the same text.
            `SELECT client_id, id, seq, conversation_id, user_id, customer_id, in_reply_to_event_id,
               bundle_type, payload::text AS payload, retrieval_ms, created_at
             FROM bundles
             WHERE client_id = $1 AND conversation_id = $2 AND in_reply_to_event_id = ANY($3::text[])
             ORDER BY seq`,
            [clientId, conversationId, events.map((event) => event.id)],
          ),
      this.#database.query(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE client_id = $1 AND conversation_id = $2::uuid
           AND ($3::timestamptz IS NULL OR recorded_at > $3::timestamptz)
           AND ($4::timestamptz IS NULL OR recorded_at <= $4::timestamptz)
         ORDER BY seq LIMIT $5`,
        [clientId, conversationId, from, until, page.limit * 2],
      ),
    ]);
    return {
      events,
      bundles: bundleRows.map((row) =>
        toBundle({ ...row, payload: JSON.parse(text(row, 'payload')) as unknown }),
      ),
      messages: messageRows.map(toMessage),
      next,
    };
  }

  /** A user's memories, newest first, current and superseded; `beforeSeq` pages on. */
  async userMemories(
    clientId: string,
    userId: string,
    page: { limit: number; beforeSeq?: number },
  ): Promise<PagedMemory[]> {
    const rows = await this.#database.query(
      `SELECT ${MEMORY_COLUMNS} FROM memories
       WHERE client_id = $1 AND user_id = $2 AND ($3::bigint IS NULL OR seq < $3::bigint)
       ORDER BY seq DESC LIMIT $4`,
      [clientId, userId, page.beforeSeq ?? null, page.limit],
    );
    return rows.map((row) => ({ memory: toMemory(row), seq: integer(row, 'seq') }));
  }

  /**
   * The supersession chain through one memory: its predecessors (what it replaced,
   * walked back) and its successors (what replaced it, walked forward), with the
   * messages each was extracted from. Undefined when the tenant has no such memory.
   */
  async supersessionChain(
    clientId: string,
    memoryId: string,
  ): Promise<SupersessionChain | undefined> {
    if (!isUuid(memoryId)) return undefined;
    // Both directions in one statement: back through what each memory replaced, forward
    // through what replaced it; depth-bounded, so a cycle cannot hang a page.
    const rows = await this.#database.query(
      `WITH RECURSIVE back (id, depth) AS (
         SELECT id, 0 FROM memories WHERE client_id = $1 AND id = $2::uuid
         UNION ALL
         SELECT m.id, b.depth + 1 FROM memories m JOIN back b
           ON m.client_id = $1 AND m.superseded_by = b.id
         WHERE b.depth < $3
       ), forth (id, next, depth) AS (
         SELECT id, superseded_by, 0 FROM memories WHERE client_id = $1 AND id = $2::uuid
         UNION ALL
         SELECT m.id, m.superseded_by, f.depth + 1 FROM memories m JOIN forth f
           ON m.client_id = $1 AND m.id = f.next
         WHERE f.depth < $3
       )
       SELECT ${MEMORY_COLUMNS} FROM memories
       WHERE client_id = $1 AND id IN (SELECT id FROM back UNION SELECT id FROM forth)
       ORDER BY seq`,
      [clientId, memoryId, MAX_CHAIN],
    );
    if (rows.length === 0) return undefined;
    const chain = rows.map(toMemory);
    const messageIds = [
      ...new Set(chain.flatMap((memory) => memory.sourceMessageIds).filter(isUuid)),
    ];
    const messageRows =
      messageIds.length === 0
        ? []
        : await this.#database.query(
            `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE client_id = $1 AND id = ANY($2::uuid[])`,
            [clientId, messageIds],
          );
    const sources = new Map(messageRows.map((row) => [text(row, 'id'), toMessage(row)]));
    return { chain, sources };
  }
}

function toInspectedEvent(row: Record<string, unknown>): InspectedEvent {
  return {
    id: text(row, 'id'),
    eventType: text(row, 'event_type'),
    role: text(row, 'role'),
    content: text(row, 'content'),
    toolName: text(row, 'tool_name'),
    // Read as text and parsed here, like bundle payloads (faster than PGlite's decoding).
    toolArgs: typeof row.tool_args === 'string' ? (JSON.parse(row.tool_args) as unknown) : null,
    metadata: object({ metadata: JSON.parse(text(row, 'metadata')) as unknown }, 'metadata'),
    occurredAt: date(row, 'occurred_at'),
  };
}
