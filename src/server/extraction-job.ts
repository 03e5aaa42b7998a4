import type { Logger } from 'pino';
import { type Extractor, hasChangeCue, markChanges, SemanticSimilarity } from '../engine/index.js';
import type { JobRecord, MemoryRecord, MessageRecord, NewMemory } from '../store/records.js';
import type { Store } from '../store/store.js';
import { ATTRIBUTE, SPAN, traced } from '../telemetry/index.js';
import type { JobHandler } from './job-runner.js';

export const EXTRACTION_JOB = 'extraction';

/** Messages read per page: a long ingested transcript is extracted a page at a time. */
const PAGE_SIZE = 500;

/** One conversation's share of an extraction job, as stored in the job payload (snake_case). */
interface ExtractionRange {
  conversation_id: string;
  /** Messages after this seq… */
  after_seq: number;
  /** …up to and including this one; null for the whole rest of the conversation. */
  through_seq: number | null;
  /** When set, only these messages of the range (others may be another job's). */
  message_ids: string[] | null;
}

export interface ExtractionJobOptions {
  /**
   * The extractor to use once `extractor` has failed `fallbackAfterAttempts` times on
   * a job (the rule-based one, when a model is configured). None: the job keeps
   * failing and the queue retries it until it is dead.
   */
  fallback?: Extractor;
  /** Job attempts given to `extractor` before `fallback` takes over. Default 3. */
  fallbackAfterAttempts?: number;
  /** Told about every fallback. */
  logger?: Logger;
  /**
   * Closeness in meaning for changes told in other words (change-supersession.ts);
   * `false` supersedes by subject key only. Default: one instance per handler.
   */
  semantic?: SemanticSimilarity | false;
}

/** Current statements read per owner to find what a change replaces. */
const CURRENT_STATEMENTS = 500;

/**
 * Runs one extraction job: reads each range of messages, extracts memories and inserts
 * them. Pages through long conversations, so memory use stays bounded. A payload that
 * names no valid range is a no-op rather than an error: retrying it would not help.
 *
 * When the extractor fails (a model that is down or answers garbage), the job fails
 * and the queue retries it with its backoff; on attempt `fallbackAfterAttempts` the
 * fallback extractor runs instead, so the messages are never left unextracted. Once a
 * page of this job has been inserted, a later failing page falls back at once: a retry
 * would extract, and insert, the earlier pages again.
 */
export function extractionJobHandler(
  store: Store,
  extractor: Extractor,
  options: ExtractionJobOptions = {},
): JobHandler {
  const fallbackAfterAttempts = options.fallbackAfterAttempts ?? 3;
  // Made on the first change to look at: its word table loads on first use.
  let similarity: SemanticSimilarity | undefined;
  const semantic = (): SemanticSimilarity | undefined => {
    if (options.semantic === false) return undefined;
    similarity ??= options.semantic || new SemanticSimilarity();
    return similarity;
  };
  return (job: JobRecord) => {
    let count = 0;
    return traced(
      SPAN.extraction,
      { [ATTRIBUTE.jobKind]: 'extraction' },
      () =>
        extractJob(job, (memories) => {
          count += memories;
        }),
      () => ({ [ATTRIBUTE.memories]: count }),
    );
  };

  async function extractJob(job: JobRecord, inserted: (memories: number) => void): Promise<void> {
    // What the job's pages gave, inserted together at the end: one statement for the
    // whole job (the store keeps input order, so the outcome is that of page by page).
    let pending: NewMemory[] = [];
    let insertedAny = false;
    const flush = async () => {
      if (pending.length === 0) return;
      await store.insertMemories(job.clientId, pending);
      insertedAny = true;
      inserted(pending.length);
      pending = [];
    };
    const extract = async (messages: MessageRecord[]) => {
      try {
        return await extractor.extract({ messages });
      } catch (error) {
        const { fallback } = options;
        if (!fallback) throw error;
        if (job.attempts < fallbackAfterAttempts) {
          // A retry would extract the earlier pages again: they are kept, and this
          // page goes to the fallback at once, once anything of the job is stored.
          await flush();
          if (!insertedAny) throw error;
        }
        options.logger?.warn(
          { err: error, jobId: job.id, attempts: job.attempts },
          'extraction: the extractor failed; the fallback extractor runs instead',
        );
        return fallback.extract({ messages });
      }
    };
    const extractPage = async (messages: MessageRecord[]) => {
      if (messages.length === 0) return;
      const memories = await extract(messages);
      if (memories.some(hasChangeCue)) {
        // A change is looked up among stored statements: the job's earlier ones first.
        await flush();
        await markChangesIn(store, job.clientId, memories, semantic());
      }
      pending.push(...memories);
    };
    const ranges = rangesOf(job.payload);
    const named = await namedMessages(store, job.clientId, ranges);
    for (const range of ranges) {
      if (range.message_ids) {
        const ids = new Set(range.message_ids);
        const messages = (named.get(range.conversation_id.toLowerCase()) ?? []).filter(
          (message) => ids.has(message.id) && inRange(message, range),
        );
        for (let start = 0; start < messages.length; start += PAGE_SIZE)
          await extractPage(messages.slice(start, start + PAGE_SIZE));
        continue;
      }
      let afterSeq = range.after_seq;
      for (;;) {
        const page = await store.listMessages(job.clientId, range.conversation_id, {
          afterSeq,
          limit: PAGE_SIZE,
        });
        await extractPage(page.filter((message) => inRange(message, range)));
        const last = page.at(-1);
        if (!last || page.length < PAGE_SIZE) break;
        if (range.through_seq !== null && last.seq >= range.through_seq) break;
        afterSeq = last.seq;
      }
    }
    await flush();
  }
}

/** The messages the ranges name by id, read in one statement, by conversation. */
async function namedMessages(
  store: Store,
  clientId: string,
  ranges: readonly ExtractionRange[],
): Promise<Map<string, MessageRecord[]>> {
  const ids = ranges.flatMap((range) => range.message_ids ?? []);
  const byConversation = new Map<string, MessageRecord[]>();
  for (const message of await store.getMessages(clientId, ids)) {
    const key = message.conversationId.toLowerCase();
    const list = byConversation.get(key);
    if (list) list.push(message);
    else byConversation.set(key, [message]);
  }
  return byConversation;
}

function inRange(message: MessageRecord, range: ExtractionRange): boolean {
  return (
    message.seq > range.after_seq &&
    (range.through_seq === null || message.seq <= range.through_seq)
  );
}

/**
 * Marks what each new statement that says something changed replaces among its owner's
 * current facts and preferences: one read per owner, and none when no memory of the
 * page carries a change cue.
 */
async function markChangesIn(
  store: Store,
  clientId: string,
  memories: NewMemory[],
  semantic: SemanticSimilarity | undefined,
): Promise<void> {
  const changes = memories.filter(hasChangeCue);
  if (changes.length === 0) return;
  const owners = new Map<string, { userId: string; customerId: string }>();
  for (const memory of changes) {
    owners.set(`${memory.userId}\u0000${memory.customerId}`, memory);
  }
  const current: MemoryRecord[] = [];
  for (const { userId, customerId } of owners.values()) {
    const found = await store.searchMemories(clientId, {
      userId,
      customerId,
      conversationId: null,
      query: '',
      types: ['facts', 'preferences'],
      limit: CURRENT_STATEMENTS,
    });
    current.push(...found.map((hit) => hit.memory));
  }
  markChanges(changes, current, semantic);
}

function rangesOf(payload: Record<string, unknown>): ExtractionRange[] {
  const ranges = Array.isArray(payload.ranges) ? payload.ranges : [];
  return ranges.flatMap((value: unknown): ExtractionRange[] => {
    if (typeof value !== 'object' || value === null) return [];
    const range = value as Record<string, unknown>;
    if (typeof range.conversation_id !== 'string' || typeof range.after_seq !== 'number') return [];
    return [
      {
        conversation_id: range.conversation_id,
        after_seq: range.after_seq,
        through_seq: typeof range.through_seq === 'number' ? range.through_seq : null,
        message_ids: Array.isArray(range.message_ids)
          ? range.message_ids.filter((id): id is string => typeof id === 'string')
          : null,
      },
    ];
  });
}

export interface ExtractionSchedulerOptions {
  store: Store;
  logger: Logger;
  /** Called after a job was queued, so the runner need not wait for its next poll. */
  wake: () => void;
  /** Enqueues in flight at most; beyond it, new work is dropped and counted. Default 256. */
  maxPending?: number;
}

/**
 * Turns "messages recorded" and "conversation ingested" notices into extraction jobs:
 * one job per notice (a batch of 100 messages is one job), never one per message. (The
 * REST routes queue their messages' job in the messages' own transaction instead:
 * extraction-follow-up.ts.) The request never waits for the enqueue and never fails because of it:
 * failures and drops are counted and logged (a warning the first time, debug after).
 * Owns its pending enqueues; `flush()` awaits them (the server calls it on close).
 */
export class ExtractionScheduler {
  readonly #options: Required<ExtractionSchedulerOptions>;
  readonly #pending = new Set<Promise<void>>();
  readonly #warned = new Set<string>();
  #failures = 0;
  #dropped = 0;

  constructor(options: ExtractionSchedulerOptions) {
    this.#options = { maxPending: 256, ...options };
  }

  /** Enqueues that failed (store errors); the messages stay unextracted. */
  get failures(): number {
    return this.#failures;
  }

  /** Notices dropped because `maxPending` enqueues were already in flight. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues extraction of these just-recorded messages; assistant-only notices queue nothing. */
  messagesRecorded(clientId: string, messages: MessageRecord[]): void {
    const byConversation = new Map<string, MessageRecord[]>();
    for (const message of messages) {
      if (message.role !== 'user') continue;
      const list = byConversation.get(message.conversationId) ?? [];
      list.push(message);
      byConversation.set(message.conversationId, list);
    }
    const ranges: ExtractionRange[] = [...byConversation].map(([conversationId, list]) => {
      const seqs = list.map((message) => message.seq);
      return {
        conversation_id: conversationId,
        after_seq: Math.min(...seqs) - 1,
        through_seq: Math.max(...seqs),
        message_ids: list.map((message) => message.id),
      };
    });
    if (ranges.length > 0) this.#enqueue(clientId, ranges);
  }

  /** Queues extraction of a whole ingested transcript. */
  conversationIngested(clientId: string, conversationId: string): void {
    this.#enqueue(clientId, [
      { conversation_id: conversationId, after_seq: 0, through_seq: null, message_ids: null },
    ]);
  }

  /** Resolves once every enqueue in flight has settled. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #enqueue(clientId: string, ranges: ExtractionRange[]): void {
    const { store, wake, maxPending } = this.#options;
    if (this.#pending.size >= maxPending) {
      this.#dropped += 1;
      this.#report('dropped', null, 'extraction: too many enqueues in flight; notice dropped');
      return;
    }
    const pending = store
      .enqueueJob(clientId, EXTRACTION_JOB, { ranges })
      .then(wake, (error: unknown) => {
        this.#failures += 1;
        this.#report('failed', error, 'extraction: could not enqueue a job');
      })
      .finally(() => this.#pending.delete(pending));
    this.#pending.add(pending);
  }

  #report(kind: string, error: unknown, message: string): void {
    const fields = { err: error, failures: this.#failures, dropped: this.#dropped };
    if (this.#warned.has(kind)) this.#options.logger.debug(fields, message);
    else {
      this.#warned.add(kind);
      this.#options.logger.warn(fields, message);
    }
  }
}
