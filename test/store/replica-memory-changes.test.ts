import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConversationStates } from '../../src/engine/conversation-states.js';
import { MemoryWorkingSet, type WorkingScope } from '../../src/engine/memory-working-set.js';
import { MessageWorkingSet } from '../../src/engine/message-working-set.js';
import { semanticWords, stem } from '../../src/engine/semantic/semantic-similarity.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { memory } from '../support/memories.js';
import { clientId, newMessage } from './fixtures.js';
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from './store-backends.js';

// Two replicas over one PostgreSQL schema: what one writes, the other's working set
// must drop, through LISTEN/NOTIFY, also after its notice connection was cut.
const schema = uniqueSchema();
let writer: Store;
let reader: Store;
const words = (text: string) => ({
  stems: semanticWords(text).map(stem),
  vectors: [],
  specificity: [],
});
const alice: WorkingScope = { userId: 'alice', customerId: '', conversationId: null, types: [] };
const contents = async (set: MemoryWorkingSet, tenant: string) =>
  (await set.visible(tenant, alice, new Date())).map((held) => held.memory.content).sort();

beforeAll(async () => {
  writer = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  reader = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
});

afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await dropSchema(schema);
});

describe('memory changes across replicas (PostgreSQL)', () => {
  it("drops what another replica's write changed", async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store: reader, words });
    await writer.insertMemories(tenant, [memory({ content: 'Drives a Golf' })]);
    expect(await contents(set, tenant)).toEqual(['Drives a Golf']);
    await writer.insertMemories(tenant, [memory({ content: 'Sold the Golf, cycles now' })]);
    await vi.waitFor(async () =>
      expect(await contents(set, tenant)).toEqual(['Drives a Golf', 'Sold the Golf, cycles now']),
    );
    set.close();
  });

  it('assumes everything changed after its notice connection comes back', async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store: reader, words });
    await writer.insertMemories(tenant, [memory({ content: 'Lives in Lyon' })]);
    expect(await contents(set, tenant)).toEqual(['Lives in Lyon']);
    // The server drops every LISTEN connection of this schema; a write lands meanwhile.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const cut = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
        [`LISTEN %${schema}%`],
      );
      expect(cut.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await writer.insertMemories(tenant, [memory({ content: 'Moved to Nantes' })]);
    await vi.waitFor(
      async () => expect(await contents(set, tenant)).toEqual(['Lives in Lyon', 'Moved to Nantes']),
      { timeout: 10_000, interval: 50 },
    );
    set.close();
  });

  it("drops a conversation's held turns when another replica records into it", async () => {
    const tenant = clientId();
    const conversationId = randomUUID();
    const states = new ConversationStates({ store: reader, recentTurns: 6 });
    await writer.recordMessages(tenant, [newMessage({ conversationId, content: 'first' })]);
    expect((await states.get(tenant, conversationId)).turns.map((turn) => turn.content)).toEqual([
      'first',
    ]);
    await writer.recordMessages(tenant, [newMessage({ conversationId, content: 'second' })]);
    await vi.waitFor(async () =>
      expect((await states.get(tenant, conversationId)).turns.map((turn) => turn.content)).toEqual([
        'first',
        'second',
      ]),
    );
    states.close();
  });

  it('finds a past message another replica recorded, by the ids its notice names', async () => {
    const tenant = clientId();
    const messages = new MessageWorkingSet({ store: reader, words: (text) => words(text) });
    const search = {
      userId: 'user-1',
      customerId: '',
      queries: [{ stems: ['kayak'], weight: 0.9 }],
      limit: 8,
    };
    const found = async () =>
      (await messages.search(tenant, search, new Date())).map((held) => held.message.content);
    await writer.recordMessages(tenant, [newMessage({ content: 'Kayak lessons on Tuesdays' })]);
    expect(await found()).toEqual(['Kayak lessons on Tuesdays']);
    await writer.recordMessages(tenant, [newMessage({ content: 'Sold the kayak' })]);
    await vi.waitFor(async () =>
      expect(await found()).toEqual(['Sold the kayak', 'Kayak lessons on Tuesdays']),
    );
    messages.close();
  });
});
