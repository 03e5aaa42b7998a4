import { chatTurn } from './chat-corpus.js';
import type { JsonClient } from './json-client.js';
import { benchUserId } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

export interface BatchIngestOptions {
  client: JsonClient;
  /** Messages measured (after the warm-up), a multiple of `batchSize`. */
  messages: number;
  batchSize: number;
  /** Batch requests in flight at once. */
  concurrency: number;
  /** Batches sent first and not measured (JIT, connection pool, plan cache). */
  warmupBatches: number;
  /** Messages are spread over users 0 .. users-1, one conversation each. */
  users: number;
  turnsPerConversation: number;
  /** The conversation id of a bench user; the event bench reuses these. */
  conversationOf: (userIndex: number) => string;
  /**
   * No batch starts after this, so a slow or contended machine still ends in time;
   * the outcome then counts fewer messages and says so.
   */
  budgetMs: number;
}

export interface BatchIngestOutcome {
  /** Messages recorded in the timed part. */
  messages: number;
  /** True when the budget stopped the run short of `options.messages`. */
  truncated: boolean;
  elapsedMs: number;
  messagesPerSecond: number;
}

interface BatchAnswer {
  total: number;
  succeeded: number;
  failed: number;
  results: { status: string; error?: string }[];
}

/**
 * POST /v1/conversations/messages/batch, `concurrency` requests at a time, until
 * `messages` are recorded. Message n is turn n % turnsPerConversation of one user's
 * conversation, so a batch carries a few whole conversations in order, as an uploader
 * of finished chats would send them. Past `users × turnsPerConversation` messages the
 * users come round again and their conversations grow; until then, concurrent batches
 * never wait on each other's conversation row.
 */
export async function measureBatchIngest(options: BatchIngestOptions): Promise<BatchIngestOutcome> {
  if (options.messages % options.batchSize !== 0) {
    throw new Error('messages must be a multiple of batchSize');
  }
  const random = new SeededRandom(7);
  const batchBody = (batch: number) => ({
    messages: Array.from({ length: options.batchSize }, (_, offset) => {
      const message = batch * options.batchSize + offset;
      const conversation = Math.floor(message / options.turnsPerConversation);
      const user = conversation % options.users;
      const turn = chatTurn(message % options.turnsPerConversation, random);
      return {
        conversation_id: options.conversationOf(user),
        user_id: benchUserId(user),
        role: turn.role,
        content: turn.content,
        metadata: { source: 'bench' },
      };
    }),
  });
  const send = async (batch: number) => {
    const answer = await options.client.post<BatchAnswer>(
      '/v1/conversations/messages/batch',
      batchBody(batch),
    );
    if (answer.failed > 0) {
      const failure = answer.results.find((result) => result.status !== 'success');
      throw new Error(`batch ${batch}: ${answer.failed} messages failed (${failure?.error})`);
    }
  };

  for (let batch = 0; batch < options.warmupBatches; batch++) await send(batch);
  const first = options.warmupBatches;
  const end = first + options.messages / options.batchSize;
  let next = first;
  let sent = 0;
  const started = performance.now();
  const deadline = started + options.budgetMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < end && performance.now() < deadline) {
        await send(next++);
        sent += options.batchSize;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return {
    messages: sent,
    truncated: sent < options.messages,
    elapsedMs,
    messagesPerSecond: sent / (elapsedMs / 1000),
  };
}
