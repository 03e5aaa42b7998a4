import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_EXTRACTION_CONFIDENCE } from '../../../src/protocol/index.js';
import { memory } from '../../support/memories.js';
import { daysFromNow } from '../../support/relative-dates.js';
import { BACKENDS, call, startTestServer, type TestServer } from '../../support/test-server.js';

describe.each(BACKENDS)('context, compaction, ingest and service routes on %s', (backend) => {
  let t: TestServer;
  let url: string;
  const conversation = randomUUID();
  // An upcoming event, dated from now so that it never falls into the past.
  const appointment = daysFromNow(5);
  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.restUrl;
    const { store } = t.server;
    await store.insertMemories(t.tenant.clientId, [
      memory({
        content: 'Alice always flies aisle seats',
        memoryType: 'preferences',
        category: 'travel',
        strength: 0.9,
        subjectKey: 'seat',
      }),
      memory({ content: 'Alice lives in Porto', memoryType: 'facts' }),
      memory({
        content: 'Alice flew to Lisbon in March',
        memoryType: 'episodes',
        significance: 0.7,
        participants: ['alice'],
      }),
      memory({
        content: 'Alice has a dentist appointment',
        memoryType: 'temporal_events',
        eventDate: appointment,
        temporalCategory: 'temporal_fact',
      }),
      memory({
        content: 'Bob prefers window seats',
        userId: 'bob',
        memoryType: 'preferences',
        subjectKey: 'seat',
      }),
      memory({
        content: 'Company travel policy: economy class only',
        scope: 'client',
        userId: '',
        memoryType: 'facts',
      }),
    ]);
    await store.insertMemories(t.other.clientId, [
      memory({
        content: 'Secret of another tenant: aisle seats in Lisbon',
        memoryType: 'preferences',
      }),
    ]);
    for (const [role, content] of [
      ['user', 'I want to book a flight to Lisbon.'],
      ['assistant', 'Sure, which dates?'],
      ['user', 'I prefer morning flights. Let us go with December 3.'],
    ] as const) {
      const response = await call(url, 'POST', '/v1/conversations/messages', {
        key: t.tenant.key,
        body: { conversation_id: conversation, role, content, user_id: 'alice' },
      });
      expect(response.status).toBe(200);
    }
  });
  afterAll(() => t?.close());

  const contents = (body: Record<string, unknown>) =>
    Object.values(body.context as Record<string, { content: string }[]>).flatMap((items) =>
      items.map((item) => item.content),
    );

  it('fetches user context grouped by the five type keys, with the shapes of wire.md', async () => {
    const response = await call(url, 'POST', '/v1/context/user/fetch', {
      key: t.tenant.key,
      body: {
        user_id: 'alice',
        search_query: null,
        max_results: 10,
        types: ['all'],
        mode: 'fast',
        customer_id: null,
      },
    });
    expect(response.status).toBe(200);
    const context = response.body.context as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(context).sort()).toEqual([
      'emotions',
      'episodes',
      'facts',
      'preferences',
      'temporal_events',
    ]);
    // Found by content: extraction of the recorded turns may add newer preferences.
    const seeded = context.preferences?.find(
      (item) => item.content === 'Alice always flies aisle seats',
    );
    expect(seeded).toMatchObject({
      content: 'Alice always flies aisle seats',
      category: 'travel',
      strength: 0.9,
    });
    expect(context.episodes?.[0]).toMatchObject({
      summary: 'Alice flew to Lisbon in March',
      significance: 0.7,
      participants: ['alice'],
    });
    expect(context.temporal_events?.map((item) => item.event_date)).toContain(
      appointment.toISOString(),
    );
    expect(contents(response.body)).toContain('Company travel policy: economy class only');
    expect(contents(response.body)).not.toContain('Bob prefers window seats');
    expect(JSON.stringify(response.body)).not.toContain('another tenant');
    expect(JSON.stringify(response.body)).not.toContain('null');
  });

  it('filters by type', async () => {
    const response = await call(url, 'POST', '/v1/context/user/fetch', {
      key: t.tenant.key,
      body: { user_id: 'alice', types: ['facts'] },
    });
    const context = response.body.context as Record<string, unknown[]>;
    expect(context.facts?.length).toBeGreaterThan(0);
    expect(context.preferences).toEqual([]);
  });

  it('fetches conversation context with recent turns; another client gets 404 for the same id', async () => {
    const response = await call(url, 'POST', '/v1/context/conversation/fetch', {
      key: t.tenant.key,
      body: {
        conversation_id: conversation,
        search_query: ['Lisbon'],
        max_results: 5,
        types: ['all'],
      },
    });
    expect(response.status).toBe(200);
    const turns = (response.body.conversation_context as { recent_turns: { content: string }[] })
      .recent_turns;
    expect(turns.map((turn) => turn.content)).toContain('I want to book a flight to Lisbon.');
    const foreign = await call(url, 'POST', '/v1/context/conversation/fetch', {
      key: t.other.key,
      body: { conversation_id: conversation },
    });
    expect(foreign.status).toBe(404);
  });

  it('fetches customer and client scopes, and names the missing id', async () => {
    const client = await call(url, 'POST', '/v1/context/client/fetch', {
      key: t.tenant.key,
      body: {},
    });
    expect(contents(client.body)).toEqual(['Company travel policy: economy class only']);
    const customer = await call(url, 'POST', '/v1/context/customer/fetch', {
      key: t.tenant.key,
      body: {},
    });
    expect(customer.status).toBe(422);
    expect(customer.body.field).toBe('customer_id');
    const otherClient = await call(url, 'POST', '/v1/context/client/fetch', {
      key: t.other.key,
      body: {},
    });
    expect(contents(otherClient.body)).toEqual([]);
  });

  it('compacts a conversation, reports status, and serves the compacted context for prompts', async () => {
    const started = await call(url, 'POST', '/v1/conversations/compact', {
      key: t.tenant.key,
      body: { conversation_id: conversation, force: true },
    });
    expect(started.status).toBe(200);
    expect(['queued', 'running', 'completed']).toContain(started.body.status);
    await vi.waitFor(
      async () => {
        const status = await call(
          url,
          'GET',
          `/v1/conversations/${conversation}/compaction/status`,
          { key: t.tenant.key },
        );
        expect(status.body.status).toBe('completed');
      },
      { timeout: 10_000, interval: 50 },
    );
    const compacted = await call(url, 'GET', `/v1/conversations/${conversation}/compacted`, {
      key: t.tenant.key,
    });
    expect(compacted.status).toBe(200);
    // Objects with content and a numeric confidence, as in a bundle's key_extractions_json.
    expect(compacted.body.preferences).toContainEqual({
      content: 'I prefer morning flights.',
      confidence: KEY_EXTRACTION_CONFIDENCE,
    });
    expect(compacted.body.strategy_used).toBe('adaptive');
    expect(compacted.body.compaction_id).toBe(started.body.compaction_id);
    expect(Number(compacted.body.original_token_count)).toBeGreaterThan(0);
    const forPrompt = await call(
      url,
      'GET',
      `/v1/conversations/${conversation}/context-for-prompt`,
      { key: t.tenant.key },
    );
    expect(forPrompt.body).toMatchObject({
      available: true,
      is_stale: false,
      total_message_count: 3,
      compacted_message_count: 3,
    });
    expect(String(forPrompt.body.formatted_context)).toContain('morning flights');
    const foreign = await call(url, 'GET', `/v1/conversations/${conversation}/compacted`, {
      key: t.other.key,
    });
    expect(foreign.status).toBe(404);
  });

  it('answers 409 while a compaction of the conversation is already running', async () => {
    const busy = randomUUID();
    await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: { conversation_id: busy, role: 'user', content: 'hello there', user_id: 'alice' },
    });
    await t.server.store.startCompaction(t.tenant.clientId, {
      id: randomUUID(),
      conversationId: busy,
      strategy: 'auto',
      targetTokens: null,
    });
    const response = await call(url, 'POST', '/v1/conversations/compact', {
      key: t.tenant.key,
      body: { conversation_id: busy },
    });
    expect(response.status).toBe(409);
    expect(response.body.field).toBe('conversation_id');
  });

  it('ingests a transcript once: the same again is a duplicate, another is a transcript_conflict', async () => {
    const id = randomUUID();
    const body = {
      conversation_id: id,
      user_id: 'alice',
      transcript: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
    };
    const first = await call(url, 'POST', '/v1/conversations/ingest', { key: t.tenant.key, body });
    expect(first.body).toMatchObject({ status: 'queued', turns_recorded: 2, conversation_id: id });
    const again = await call(url, 'POST', '/v1/conversations/ingest', { key: t.tenant.key, body });
    expect(again.body).toMatchObject({
      status: 'duplicate',
      ingestion_id: first.body.ingestion_id,
    });
    const conflict = await call(url, 'POST', '/v1/conversations/ingest', {
      key: t.tenant.key,
      body: { ...body, transcript: 'user: something else' },
    });
    expect(conflict.status).toBe(409);
    expect((conflict.body.detail as { code: string }).code).toBe('transcript_conflict');
    expect(await t.server.store.listMessages(t.tenant.clientId, id)).toHaveLength(2);
  });

  it('answers whoami with ids free of "/", and counts telemetry', async () => {
    const whoami = await call(url, 'GET', '/api/v1/auth/whoami', {
      key: t.tenant.key,
      headers: { 'x-client-id': '', 'x-instance-id': '' },
    });
    expect(whoami.body.client_id).toBe(t.tenant.clientId);
    expect(whoami.body.instance_id).toMatch(/^inst_[0-9a-f]{16}$/);
    const telemetry = await call(url, 'POST', '/v1/telemetry/batch', {
      key: t.tenant.key,
      body: {
        events: [{ event_type: 'fetch' }, { event_type: 'record' }],
        sdk_version: '0.4.0',
        batch_id: 'b1',
        created_at: null,
      },
    });
    expect(telemetry.body).toMatchObject({ events_received: 2 });
  });

  it('serves the user profile and 404 for an unknown user', async () => {
    const profile = await call(url, 'GET', '/v1/users/alice/profile', { key: t.tenant.key });
    expect(profile.status).toBe(200);
    const document = profile.body.profile as Record<string, unknown>;
    expect(document.user_id).toBe('alice');
    expect(String(document.overview)).toContain('aisle');
    expect(document.attributes).toMatchObject({
      seat: { value: 'Alice always flies aisle seats' },
    });
    expect((await call(url, 'GET', '/v1/users/nobody/profile', { key: t.tenant.key })).status).toBe(
      404,
    );
    // The other tenant has its own "alice": it sees only its own memory.
    const foreign = await call(url, 'GET', '/v1/users/alice/profile', { key: t.other.key });
    expect(JSON.stringify(foreign.body)).toContain('another tenant');
    expect(JSON.stringify(foreign.body)).not.toContain('Porto');
  });

  it('serves /health and /metrics without a key, and /ready', async () => {
    expect((await call(url, 'GET', '/health')).status).toBe(200);
    expect((await call(url, 'GET', '/ready')).body.status).toBe('ready');
    const metrics = await fetch(`${url}/metrics`);
    expect(await metrics.text()).toContain('foresight_http_requests_total');
  });
});
