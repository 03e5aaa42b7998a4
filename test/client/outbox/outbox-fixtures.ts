import { once } from 'node:events';
import { createServer } from 'node:net';
import type { RecordMessageInput } from '../../../src/client/types.js';
import type { ForesightServer } from '../../../src/server/create-server.js';

/** Turn `index` of a conversation: its content names both, so order and duplicates show. */
export function turn(conversationId: string, index: number, userId = 'alice'): RecordMessageInput {
  return {
    conversationId,
    userId,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `turn ${index} of ${conversationId.slice(0, 8)}`,
  };
}

/** The contents the server stored for a conversation, in its order. */
export async function storedContents(
  server: ForesightServer,
  clientId: string,
  conversationId: string,
): Promise<string[]> {
  const messages = await server.store.listMessages(clientId, conversationId, { limit: 10_000 });
  return messages.map((message) => message.content);
}

/** A URL where nothing listens: requests to it are refused at once. */
export async function deadUrl(): Promise<string> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A logger that keeps every warning, so a test can check what was told and how often. */
export function warningsLogger(): {
  warn(details: object, message: string): void;
  messages: string[];
  details: object[];
} {
  const messages: string[] = [];
  const details: object[] = [];
  return {
    messages,
    details,
    warn(detail, message) {
      messages.push(message);
      details.push(detail);
    },
  };
}
