import { once } from 'node:events';
import { createServer } from 'node:net';
import type { RecordMessageInput } from '../../../src/client/types.js';
import { type ClientOptions, createClient, type ForesightClient } from '../../../src/index.js';
import type { ForesightServer } from '../../../src/server/create-server.js';

/** Turn `index` of a conversation: its content names both, so order and duplicates show. */
/**
 * The bound of a flush or close that a test expects to deliver everything: it returns as
 * soon as all is delivered, so it is only there for a hang, never a timing claim (5 s
 * left 50 of 250 records undelivered on a machine at load 18).
 */
export const DELIVER_ALL_MS = 60_000;

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

/**
 * Clients of the server a test file shares, made as the outbox tests make them (its
 * tenant's key, a warnings logger, no environment), kept so `closeAll` can close them
 * after each test. `outbox` is merged under each client's own outbox options.
 */
export function outboxClients(
  server: () => { restUrl: string; tenant: { key: string } },
  outbox: () => ClientOptions['outbox'] = () => undefined,
): { client(options?: ClientOptions): ForesightClient; closeAll(): Promise<void> } {
  const made: ForesightClient[] = [];
  return {
    client(options = {}) {
      const created = createClient({
        url: server().restUrl,
        apiKey: server().tenant.key,
        logger: warningsLogger(),
        env: {},
        ...options,
        outbox: { ...outbox(), ...options.outbox },
      });
      made.push(created);
      return created;
    },
    async closeAll() {
      await Promise.all(made.splice(0).map((client) => client.close({ timeoutMs: 1_000 })));
    },
  };
}
