import { randomUUID } from 'node:crypto';
import { openStore } from '../../src/store/index.js';

/** How one record request ended, as the client saw it. */
export type RecordOutcome =
  | { kind: 'acknowledged'; content: string; messageId: string }
  | { kind: 'refused'; content: string; status: number }
  | { kind: 'transport'; content: string; error: string };

/** POST /v1/conversations/messages once; never throws. */
export async function recordOnce(
  restUrl: string,
  key: string,
  conversationId: string,
  content: string,
): Promise<RecordOutcome> {
  try {
    const response = await fetch(`${restUrl}/v1/conversations/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        conversation_id: conversationId,
        role: 'user',
        content,
        user_id: 'drain-user',
      }),
    });
    const body = (await response.json()) as { message_id?: string };
    if (response.ok && body.message_id)
      return { kind: 'acknowledged', content, messageId: body.message_id };
    return { kind: 'refused', content, status: response.status };
  } catch (error) {
    return { kind: 'transport', content, error: String(error) };
  }
}

/**
 * `workers` loops each recording messages one after another, until `stopWhen` says so
 * or a request fails at the transport (the server is gone). Every outcome is kept.
 */
export async function recordBurst(options: {
  restUrl: string;
  key: string;
  workers: number;
  stopWhen: (outcomes: readonly RecordOutcome[]) => boolean;
}): Promise<{ conversationId: string; outcomes: RecordOutcome[] }> {
  const conversationId = randomUUID();
  const outcomes: RecordOutcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (!options.stopWhen(outcomes)) {
        const outcome = await recordOnce(
          options.restUrl,
          options.key,
          conversationId,
          `burst message ${next++}`,
        );
        outcomes.push(outcome);
        if (outcome.kind === 'transport') return;
      }
    }),
  );
  return { conversationId, outcomes };
}

/** The contents stored for a conversation, read from the data dir after the server exited. */
export async function storedContents(
  dataDir: string,
  clientId: string,
  conversationId: string,
): Promise<Map<string, string>> {
  const store = await openStore({ dataDir });
  try {
    const messages = await store.listMessages(clientId, conversationId, {
      afterSeq: 0,
      limit: 100_000,
    });
    return new Map(messages.map((message) => [message.id, message.content]));
  } finally {
    await store.close();
  }
}
