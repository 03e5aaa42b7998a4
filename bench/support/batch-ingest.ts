import { type IngestShape, ingestBatches } from './ingest-messages.js';
import type { JsonClient } from './json-client.js';

export interface BatchIngestOptions extends IngestShape {
  client: JsonClient;
  /** Messages measured (after the warm-up), a multiple of `batchSize`. */
  messages: number;
  /** Batch requests in flight at once. */
  concurrency: number;
  /** Batches sent first and not measured (JIT, connection pool, plan cache). */
  warmupBatches: number;
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
  /** `performance.now()` when the last batch was answered. */
  lastAnsweredAt: number;
}

interface BatchAnswer {
  total: number;
  succeeded: number;
  failed: number;
  results: { status: string; error?: string }[];
}

/**
 * POST /v1/conversations/messages/batch, `concurrency` requests at a time, until
 * `messages` are recorded (ingest-messages.ts says which). Past `users ×
 * turnsPerConversation` messages the users come round again and their conversations
 * grow; until then, concurrent batches never wait on each other's conversation row.
 */
export async function measureBatchIngest(options: BatchIngestOptions): Promise<BatchIngestOutcome> {
  if (options.messages % options.batchSize !== 0) {
    throw new Error('messages must be a multiple of batchSize');
  }
  const batchMessages = ingestBatches(options);
  const send = async (batch: number) => {
    const answer = await options.client.post<BatchAnswer>('/v1/conversations/messages/batch', {
      messages: batchMessages(batch),
    });
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
  const lastAnsweredAt = performance.now();
  const elapsedMs = lastAnsweredAt - started;
  return {
    messages: sent,
    truncated: sent < options.messages,
    elapsedMs,
    messagesPerSecond: sent / (elapsedMs / 1000),
    lastAnsweredAt,
  };
}
