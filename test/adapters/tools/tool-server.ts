import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { conversationIdFrom, createClient, type ForesightClient } from '../../../src/index.js';
import type { NewEvent } from '../../../src/store/records.js';
import { ConversationTracker } from '../../../src/tracker/index.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { logStoredEvents } from '../../tracker/event-log.js';

/** A real embedded server, a listening client, and the events the server stored. */
export interface ToolServer {
  t: TestServer;
  client: ForesightClient;
  events: NewEvent[];
  /** A tracker on a fresh conversation of its own. */
  newTracker(): { tracker: ConversationTracker; threadId: string };
  /** The events the server stored for a thread, in order. */
  eventsOf(threadId: string): NewEvent[];
  /**
   * Flushes the tracker, then waits until the server stored `count` events of the thread
   * (it stores an event after answering its send).
   */
  settled(tracker: ConversationTracker, threadId: string, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startToolServer(): Promise<ToolServer> {
  const t = await startTestServer('pglite');
  const events = logStoredEvents(t);
  const client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: t.tenant.key,
    env: {},
  });
  await client.instance.listen();
  const eventsOf = (threadId: string) =>
    events.filter((event) => event.conversationId === conversationIdFrom(threadId));
  return {
    t,
    client,
    events,
    newTracker() {
      const threadId = `chat-${randomUUID()}`;
      const tracker = new ConversationTracker({ client, identity: { threadId, userId: 'alice' } });
      return { tracker, threadId };
    },
    eventsOf,
    async settled(tracker, threadId, count) {
      await tracker.flush();
      await expect.poll(() => eventsOf(threadId).length).toBe(count);
    },
    async close() {
      await client.close();
      await t.close();
    },
  };
}

/** No failure of any kind. */
export const NO_FAILURES = { record: 0, event: 0, context: 0, input: 0, adapter: 0 };
