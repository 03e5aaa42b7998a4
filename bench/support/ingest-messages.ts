import { chatTurn } from './chat-corpus.js';
import { benchUserId } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

/** How the batch-ingest bench spreads its messages; the raw floor writes the same rows. */
export interface IngestShape {
  batchSize: number;
  /** Messages are spread over users 0 .. users-1, one conversation each. */
  users: number;
  turnsPerConversation: number;
  /** The conversation id of a bench user; the event bench reuses these. */
  conversationOf: (userIndex: number) => string;
}

export interface IngestMessage {
  conversation_id: string;
  user_id: string;
  role: 'user' | 'assistant';
  content: string;
  metadata: Record<string, string>;
}

/**
 * The messages of batch after batch, in order, as the wire carries them. Message n is
 * turn n % turnsPerConversation of one user's conversation, so a batch carries a few
 * whole conversations in order, as an uploader of finished chats would send them. Two
 * generators made with the same shape give the same text, batch for batch.
 */
export function ingestBatches(shape: IngestShape): (batch: number) => IngestMessage[] {
  const random = new SeededRandom(7);
  return (batch) =>
    Array.from({ length: shape.batchSize }, (_, offset) => {
      const message = batch * shape.batchSize + offset;
      const conversation = Math.floor(message / shape.turnsPerConversation);
      const user = conversation % shape.users;
      const turn = chatTurn(message % shape.turnsPerConversation, random);
      return {
        conversation_id: shape.conversationOf(user),
        user_id: benchUserId(user),
        role: turn.role,
        content: turn.content,
        metadata: { source: 'bench' },
      };
    });
}
