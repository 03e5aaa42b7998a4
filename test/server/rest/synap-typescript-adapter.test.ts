import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory } from '../../support/memories.js';
import { BACKENDS, call, startTestServer, type TestServer } from '../../support/test-server.js';

// The requests of Synap's Vercel AI SDK adapter (@maximem/synap-vercel-adk 0.3.0), written
// from what it sends: ids it does not have go out as "", every context fetch carries
// search_query as a list, max_results 10, types ['all'] and mode 'fast', and every
// turn write posts the whole transcript so far to /v1/memories/ingest.

/** The headers the adapter sends (client and instance ids are "" without a whoami). */
function adapterHeaders(): Record<string, string> {
  return {
    'x-client-id': '',
    'x-instance-id': '',
    'x-correlation-id': randomUUID(),
    'user-agent': '@maximem/synap-vercel-adk/0.3.0',
  };
}

function fetchBody(extra: Record<string, unknown>, query = 'Where should I fly?') {
  return { search_query: [query], max_results: 10, types: ['all'], mode: 'fast', ...extra };
}

function turnWrite(
  messages: { role: string; content: string }[],
  ids: { user_id?: string; customer_id?: string; conversation_id?: string },
) {
  return {
    messages,
    user_id: ids.user_id ?? '',
    customer_id: ids.customer_id ?? '',
    conversation_id: ids.conversation_id ?? '',
    source: 'vercel_ai_sdk',
  };
}

type Item = Record<string, unknown>;

describe.each(BACKENDS)("Synap's TypeScript adapter against the REST routes on %s", (backend) => {
  let t: TestServer;
  let url: string;
  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.restUrl;
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({ content: 'Ana lives in Porto', userId: 'ana', confidence: 0.8 }),
      memory({
        content: 'Ana prefers aisle seats',
        userId: 'ana',
        memoryType: 'preferences',
        category: 'travel',
      }),
    ]);
    await t.server.store.insertMemories(t.b2b.clientId, [
      memory({ content: 'Acme pays for business class', userId: 'ana', customerId: 'acme' }),
    ]);
  });
  afterAll(() => t?.close());

  const post = (path: string, body: unknown, key = t.tenant.key) =>
    call(url, 'POST', path, { key, body, headers: adapterHeaders() });

  describe('empty strings are absent ids', () => {
    it('fetches user context with customer_id ""', async () => {
      const response = await post(
        '/v1/context/user/fetch',
        fetchBody({ user_id: 'ana', customer_id: '' }),
      );
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('user');
    });

    it('fetches conversation context with user_id "" and customer_id ""', async () => {
      const conversation = randomUUID();
      const write = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Hello' }], {
          user_id: 'ana',
          conversation_id: conversation,
        }),
      );
      expect(write.status).toBe(200);
      const response = await post(
        '/v1/context/conversation/fetch',
        fetchBody({ conversation_id: conversation, user_id: '', customer_id: '' }),
      );
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('conversation');
    });

    it('records a message whose user_id, session_id and client_token are ""', async () => {
      const conversation = randomUUID();
      const first = await post('/v1/conversations/messages', {
        conversation_id: conversation,
        role: 'user',
        content: 'First',
        user_id: 'ana',
        customer_id: '',
        session_id: '',
        client_token: '',
      });
      expect(first.status).toBe(200);
      expect(first.body.session_id).toBe(conversation);
      const second = await post('/v1/conversations/messages', {
        conversation_id: conversation,
        role: 'assistant',
        content: 'Second',
        user_id: '',
      });
      expect(second.status).toBe(200);
    });

    it('still names customer_id when a B2B client sends ""', async () => {
      const response = await post(
        '/v1/context/user/fetch',
        fetchBody({ user_id: 'ana', customer_id: '' }),
        t.b2b.key,
      );
      expect(response.status).toBe(422);
      expect(response.body.field).toBe('customer_id');
    });
  });

  describe('fetch answers', () => {
    it('carry items_by_type.{type}.items with the fields the adapter reads, next to the context envelope', async () => {
      const response = await post(
        '/v1/context/user/fetch',
        fetchBody({ user_id: 'ana', customer_id: '' }, 'Porto aisle seats'),
      );
      expect(response.status).toBe(200);
      const body = response.body as {
        context: Record<string, Item[]>;
        items_by_type: Record<string, { items: Item[] }>;
        bundle_id: string;
        total_tokens: number;
        metadata: { source: string };
      };
      expect(Object.keys(body.items_by_type).sort()).toEqual([
        'emotions',
        'episodes',
        'facts',
        'preferences',
        'temporal_events',
      ]);
      const [fact] = body.items_by_type.facts?.items ?? [];
      expect(fact).toMatchObject({
        content: 'Ana lives in Porto',
        context_type: 'facts',
        source: 'memories',
        confidence: 0.8,
        scope: 'user',
      });
      expect(fact?.item_id).toBe(body.context.facts?.[0]?.id);
      expect(typeof fact?.relevance_score).toBe('number');
      expect(body.items_by_type.preferences?.items.map((item) => item.content)).toEqual([
        'Ana prefers aisle seats',
      ]);
      // The adapter reads these three; `cache` would make it report a cache hit.
      expect(body.bundle_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.total_tokens).toBeGreaterThan(0);
      expect(body.metadata.source).toBe('cloud');
      // The Python client's envelope is unchanged.
      expect(body.context.facts?.map((item) => item.content)).toEqual(['Ana lives in Porto']);
    });

    it("answer a conversation the server has not seen with the named user's memories", async () => {
      const response = await post(
        '/v1/context/conversation/fetch',
        fetchBody({ conversation_id: randomUUID(), user_id: 'ana', customer_id: '' }, 'Porto'),
      );
      expect(response.status).toBe(200);
      const facts = (response.body.items_by_type as Record<string, { items: Item[] }>).facts;
      expect(facts?.items.map((item) => item.content)).toEqual(['Ana lives in Porto']);
      const unnamed = await post(
        '/v1/context/conversation/fetch',
        fetchBody({ conversation_id: randomUUID(), user_id: '', customer_id: '' }),
      );
      expect(unnamed.status).toBe(404);
    });

    it('carry the conversation context with its JSON texts too', async () => {
      const conversation = 'chat-42';
      await post(
        '/v1/memories/ingest',
        turnWrite(
          [
            { role: 'user', content: 'Book Lisbon' },
            { role: 'assistant', content: 'Done' },
          ],
          { user_id: 'ana', conversation_id: conversation },
        ),
      );
      // The application's own conversation id is mapped the same way as on the write.
      const response = await post(
        '/v1/context/conversation/fetch',
        fetchBody({ conversation_id: conversation, user_id: 'ana', customer_id: '' }),
      );
      expect(response.status).toBe(200);
      const context = response.body.conversation_context as Record<string, unknown>;
      expect(context.recent_turns).toMatchObject([
        { role: 'user', content: 'Book Lisbon' },
        { role: 'assistant', content: 'Done' },
      ]);
      expect(JSON.parse(String(context.current_state_json))).toEqual({});
      expect(context.key_extractions_json).toBe('');
    });
  });

  describe('POST /v1/memories/ingest', () => {
    it('records the turns in order, each once, as the transcript grows', async () => {
      const conversation = randomUUID();
      const ids = { user_id: 'ana', conversation_id: conversation };
      const turn1 = [
        { role: 'user', content: 'I need a hotel in Porto' },
        { role: 'assistant', content: 'For which nights?' },
      ];
      const first = await post('/v1/memories/ingest', turnWrite(turn1, ids));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        conversation_id: conversation,
        user_id: 'ana',
        messages_received: 2,
        messages_stored: 2,
        duplicates: 0,
      });
      const turn2 = [
        ...turn1,
        { role: 'user', content: 'Friday and Saturday' },
        { role: 'assistant', content: 'For which nights?' },
      ];
      const second = await post('/v1/memories/ingest', turnWrite(turn2, ids));
      expect(second.body).toMatchObject({
        messages_received: 4,
        messages_stored: 2,
        duplicates: 2,
      });
      const again = await post('/v1/memories/ingest', turnWrite(turn2, ids));
      expect(again.body).toMatchObject({ messages_stored: 0, duplicates: 4 });
      const stored = await t.server.store.listMessages(t.tenant.clientId, conversation);
      expect(stored.map((message) => [message.role, message.content])).toEqual(
        turn2.map((message) => [message.role, message.content]),
      );
      expect(stored.every((message) => message.metadata.source === 'vercel_ai_sdk')).toBe(true);
    });

    it('derives one conversation per chat when conversation_id is ""', async () => {
      const opening = { role: 'user', content: `Plan my trip ${randomUUID()}` };
      const first = await post(
        '/v1/memories/ingest',
        turnWrite([opening, { role: 'assistant', content: 'Where to?' }], { user_id: 'ana' }),
      );
      expect(first.status).toBe(200);
      const conversation = String(first.body.conversation_id);
      expect(conversation).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
      expect(first.body).not.toHaveProperty('external_conversation_id');
      const second = await post(
        '/v1/memories/ingest',
        turnWrite(
          [
            opening,
            { role: 'assistant', content: 'Where to?' },
            { role: 'user', content: 'Lisbon' },
            { role: 'assistant', content: 'When?' },
          ],
          { user_id: 'ana' },
        ),
      );
      expect(second.body).toMatchObject({ conversation_id: conversation, messages_stored: 2 });
      const otherUser = await post(
        '/v1/memories/ingest',
        turnWrite([opening, { role: 'assistant', content: 'Where to?' }], { user_id: 'bob' }),
      );
      expect(otherUser.body.conversation_id).not.toBe(conversation);
      const otherChat = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Something else' }], { user_id: 'ana' }),
      );
      expect(otherChat.body.conversation_id).not.toBe(conversation);
    });

    it('maps an application conversation id to a stable UUID and echoes it', async () => {
      const response = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Hi' }], {
          user_id: 'ana',
          conversation_id: 'thread-7',
        }),
      );
      expect(response.body.external_conversation_id).toBe('thread-7');
      const again = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Hi' }], {
          user_id: 'ana',
          conversation_id: 'thread-7',
        }),
      );
      expect(again.body.conversation_id).toBe(response.body.conversation_id);
      expect(again.body.duplicates).toBe(1);
    });

    it('names the field a write cannot do without', async () => {
      const noUser = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Hi' }], { customer_id: 'acme' }),
      );
      expect(noUser.status).toBe(422);
      expect(noUser.body.field).toBe('user_id');
      const unknownConversation = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Hi' }], { conversation_id: randomUUID() }),
      );
      expect(unknownConversation.status).toBe(422);
      expect(unknownConversation.body.field).toBe('user_id');
      const empty = await post('/v1/memories/ingest', turnWrite([], { user_id: 'ana' }));
      expect(empty.status).toBe(422);
      expect(empty.body.field).toBe('messages');
      const system = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'system', content: 'Be brief' }], { user_id: 'ana' }),
      );
      expect(system.status).toBe(422);
      expect(system.body.field).toBe('messages.0.role');
    });

    it("keeps a conversation its owner's: another user's write is refused", async () => {
      const conversation = randomUUID();
      await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Mine' }], {
          user_id: 'ana',
          conversation_id: conversation,
        }),
      );
      const foreign = await post(
        '/v1/memories/ingest',
        turnWrite([{ role: 'user', content: 'Mine' }], {
          user_id: 'bob',
          conversation_id: conversation,
        }),
      );
      expect(foreign.status).toBe(409);
    });
  });
});
