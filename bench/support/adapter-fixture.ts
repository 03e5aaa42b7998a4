import { conversationIdFrom, createClient, type ForesightClient } from '../../src/index.js';
import type { NewMemory } from '../../src/store/records.js';
import { type BenchServer, startBenchServer } from './bench-server.js';

/** A real server, a listening client, and one conversation whose bundle is already cached. */
export interface AdapterFixture {
  bench: BenchServer;
  client: ForesightClient;
  userId: string;
  threadId: string;
  conversationId: string;
  /** Closes the client, then the server (which removes its temp dir). Idempotent. */
  close(): Promise<void>;
}

const USER_ID = 'alice';
const THREAD_ID = 'adapter-bench-thread';

/** A few user-scoped memories, so the cached bundle carries items for the block to format. */
const MEMORIES = [
  ['Alice always flies aisle seats', 'preferences'],
  ['Alice is vegetarian and asks for a vegetarian meal on long flights', 'preferences'],
  ['Alice lives in Porto and works in Lisbon two days a week', 'facts'],
  ['Alice has a TAP Miles&Go gold card', 'facts'],
] as const;

function memory(content: string, memoryType: NewMemory['memoryType']): NewMemory {
  return {
    content,
    scope: 'user',
    userId: USER_ID,
    customerId: '',
    conversationId: null,
    memoryType,
    entityId: '',
    subjectKey: '',
    confidence: 0.9,
    category: null,
    strength: null,
    significance: null,
    participants: [],
    eventDate: null,
    validUntil: null,
    temporalCategory: 'perpetual',
    sourceMessageIds: [],
    metadata: {},
  };
}

/**
 * Starts the embedded server (PGlite in a temp dir), seeds memories, connects a client
 * over gRPC and sends one `tool_call` for the conversation, waiting for its bundle: so
 * every adapter call after this finds a bundle in the client's cache and formats a real
 * context block, which is the work an adapter adds to a model call in production.
 */
export async function startAdapterFixture(): Promise<AdapterFixture> {
  const bench = await startBenchServer('pglite');
  let client: ForesightClient | undefined;
  const close = async () => {
    try {
      await client?.close({ timeoutMs: 2000 });
    } finally {
      await bench.close();
    }
  };
  try {
    await bench.server.store.insertMemories(
      bench.clientId,
      MEMORIES.map(([content, type]) => memory(content, type)),
    );
    client = createClient({
      url: bench.server.restUrl,
      grpcTarget: bench.server.grpcTarget,
      apiKey: bench.key,
      // No FORESIGHT_* variables of the shell may change what is measured.
      env: {},
    });
    await client.instance.listen();
    const conversationId = conversationIdFrom(THREAD_ID);
    const eventId = await client.instance.sendMessage({
      eventType: 'tool_call',
      conversationId,
      userId: USER_ID,
      toolName: 'book_flight',
      toolArgs: { destination: 'Lisbon', seat: 'aisle' },
    });
    const answer = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 15_000,
    });
    if (answer.status !== 'ready')
      throw new Error(`no bundle for the seed tool_call: ${answer.status}`);
    return { bench, client, userId: USER_ID, threadId: THREAD_ID, conversationId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
