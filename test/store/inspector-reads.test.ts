import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory } from '../support/memories.js';
import { BACKENDS, startTestServer, type TestServer } from '../support/test-server.js';

describe.each(BACKENDS)('InspectorReads on %s', (backend) => {
  let env: TestServer;
  const ids: string[] = [];

  beforeAll(async () => {
    env = await startTestServer(backend);
    const store = env.server.store;
    for (const city of ['Porto', 'Faro', 'Lisbon']) {
      const [row] = await store.insertMemories(env.tenant.clientId, [
        memory({ content: `Alice lives in ${city}.`, subjectKey: 'home_city' }),
      ]);
      ids.push(row?.id ?? '');
    }
    await store.insertMemories(env.other.clientId, [
      memory({ content: 'Not yours.', subjectKey: 'home_city' }),
    ]);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('walks a supersession chain both ways from any of its memories, oldest first', async () => {
    for (const id of ids) {
      const found = await env.server.store.inspector.supersessionChain(env.tenant.clientId, id);
      expect(found?.chain.map((row) => row.content)).toEqual([
        'Alice lives in Porto.',
        'Alice lives in Faro.',
        'Alice lives in Lisbon.',
      ]);
      expect(found?.chain.map((row) => row.supersededBy)).toEqual([ids[1], ids[2], null]);
    }
  });

  it("never reads another tenant's memory", async () => {
    const reads = env.server.store.inspector;
    expect(await reads.supersessionChain(env.other.clientId, ids[0] as string)).toBeUndefined();
    expect(await reads.supersessionChain(env.tenant.clientId, 'not-a-uuid')).toBeUndefined();
    expect(await reads.userMemories(env.other.clientId, 'alice', { limit: 10 })).toHaveLength(1);
  });

  it("pages a user's memories newest first by seq", async () => {
    const reads = env.server.store.inspector;
    const first = await reads.userMemories(env.tenant.clientId, 'alice', { limit: 2 });
    expect(first.map((row) => row.memory.content)).toEqual([
      'Alice lives in Lisbon.',
      'Alice lives in Faro.',
    ]);
    const rest = await reads.userMemories(env.tenant.clientId, 'alice', {
      limit: 2,
      beforeSeq: first.at(-1)?.seq as number,
    });
    expect(rest.map((row) => row.memory.content)).toEqual(['Alice lives in Porto.']);
  });

  it("reads a conversation's events in pages, with the bundles answering them and their turns", async () => {
    const store = env.server.store;
    const conversationId = '3f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    await store.recordMessages(env.tenant.clientId, [
      {
        conversationId,
        userId: 'alice',
        customerId: '',
        sessionId: '',
        role: 'user',
        content: 'Book Lisbon',
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    const base = Date.now();
    const event = (id: string, ms: number, toolArgs: unknown) => ({
      id,
      conversationId,
      userId: 'alice',
      customerId: '',
      sessionId: '',
      eventType: 'tool_call',
      role: '',
      content: '',
      toolName: 'book_flight',
      toolArgs,
      searchQueries: [],
      contextTypes: [],
      metadata: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      occurredAt: new Date(base + ms),
    });
    await store.recordEvents(env.tenant.clientId, [
      event('ev-1', 0, { destination: 'Lisbon' }),
      event('ev-2', 10, null),
      event('ev-3', 20, { step: 3 }),
    ]);
    await store.saveBundles(env.tenant.clientId, [
      {
        id: 'bundle-1',
        conversationId,
        userId: 'alice',
        customerId: '',
        inReplyToEventId: 'ev-1',
        bundleType: 'anticipation',
        payload: { items_by_type: { facts: [{ content: 'Alice lives in Lisbon.' }] } },
        retrievalMs: 2,
      },
    ]);
    const reads = store.inspector;
    const first = await reads.conversationPage(env.tenant.clientId, conversationId, { limit: 2 });
    expect(first.events.map((row) => [row.id, row.toolArgs])).toEqual([
      ['ev-1', { destination: 'Lisbon' }],
      ['ev-2', null],
    ]);
    expect(first.events[0]?.metadata).toEqual({
      traceparent: expect.stringMatching(/^00-a+-b+-01$/),
    });
    expect(first.bundles.map((row) => [row.id, row.payload])).toEqual([
      ['bundle-1', { items_by_type: { facts: [{ content: 'Alice lives in Lisbon.' }] } }],
    ]);
    expect(first.messages.map((row) => row.content)).toEqual(['Book Lisbon']);
    expect(first.next?.id).toBe('ev-2');
    const second = await reads.conversationPage(env.tenant.clientId, conversationId, {
      limit: 2,
      ...(first.next ? { after: first.next } : {}),
    });
    expect(second.events.map((row) => row.id)).toEqual(['ev-3']);
    expect(second.next).toBeUndefined();
    const theirs = await reads.conversationPage(env.other.clientId, conversationId, { limit: 2 });
    expect(theirs.events).toEqual([]);
  });
});
