import { setTimeout as sleep } from 'node:timers/promises';
import { conversationIdFrom } from '../client/conversation-id.js';
import type { ForesightClient } from '../client/create-client.js';
import type { MemoryRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { DEMO_USER_ID, SEED_CONVERSATIONS } from './demo-script.js';
import type { TurnPrinter } from './turn-printer.js';

const POLL_MS = 100;

/**
 * Records Alice's earlier conversations through the client, one batch a conversation.
 * Idempotency keys make a second run answer the stored messages instead of adding
 * copies (and the server extracts nothing twice): those turns print as already recorded.
 * Answers the message ids by conversation.
 */
export async function seedHistory(
  client: ForesightClient,
  store: Store,
  clientId: string,
  printer: TurnPrinter,
): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  for (const conversation of SEED_CONVERSATIONS) {
    const conversationId = conversationIdFrom(conversation.threadId);
    printer.line(`  ${conversation.threadId}`);
    // What the store held before: the turns whose keys it knows are answered, not added.
    const stored = new Set(
      (await store.listMessages(clientId, conversationId)).map((message) => message.idempotencyKey),
    );
    const key = (at: number) => `demo-seed:${conversation.threadId}:${at}`;
    const result = await client.conversation.recordMessages(
      conversation.turns.map((turn, at) => ({
        conversationId,
        userId: DEMO_USER_ID,
        role: turn.role,
        content: turn.content,
        idempotencyKey: key(at),
      })),
    );
    const messageIds: string[] = [];
    result.results.forEach((outcome, at) => {
      const turn = conversation.turns[at];
      if (!outcome.ok) throw new Error(`seeding ${conversation.threadId}: ${outcome.message}`);
      messageIds.push(outcome.messageId);
      if (!turn) return;
      if (stored.has(key(at))) printer.alreadyRecorded(turn.role, turn.content);
      else printer.recorded(turn.role, turn.content);
    });
    ids.set(conversationId, messageIds);
  }
  return ids;
}

/**
 * Waits until extraction has produced memories from every seeded conversation (an
 * extraction job inserts a conversation's memories together), at most `timeoutMs`.
 * Throws naming what is missing when the bound passes.
 */
export async function waitForMemories(
  store: Store,
  clientId: string,
  seeded: Map<string, string[]>,
  timeoutMs: number,
): Promise<MemoryRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const memories = await store.listMemories(clientId, { userId: DEMO_USER_ID });
    const sources = new Set(memories.flatMap((memory) => memory.sourceMessageIds));
    const missing = [...seeded].filter(([, ids]) => !ids.some((id) => sources.has(id)));
    if (missing.length === 0) return memories;
    if (Date.now() >= deadline) {
      throw new Error(
        `extraction produced no memories from ${missing.length} of ${seeded.size} seeded conversations ` +
          `within ${timeoutMs} ms (raise --extraction-timeout, or run with FORESIGHT_LOG_LEVEL=info to see the job runner)`,
      );
    }
    await sleep(POLL_MS);
  }
}
