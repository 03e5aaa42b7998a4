import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, startTestServer, type TestServer } from '../../support/test-server.js';

describe.each(BACKENDS)('message routes on %s', (backend) => {
  let t: TestServer;
  let url: string;
  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.restUrl;
  });
  afterAll(() => t?.close());

  const stored = (clientId: string, conversationId: string) =>
    t.server.store.listMessages(clientId, conversationId);
  const message = (overrides: Record<string, unknown> = {}) => ({
    conversation_id: randomUUID(),
    role: 'user',
    content: 'I always fly aisle seats',
    user_id: 'alice',
    ...overrides,
  });

  it('records a message and answers exactly 200 with the typed result', async () => {
    const body = message({ metadata: { source: 'test' }, session_id: 'session-1' });
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      conversation_id: body.conversation_id,
      session_id: 'session-1',
    });
    expect(typeof response.body.message_id).toBe('string');
    expect(Number.isNaN(Date.parse(String(response.body.recorded_at)))).toBe(false);
    const rows = await stored(t.tenant.clientId, body.conversation_id);
    expect(rows.map((row) => [row.id, row.content, row.role])).toEqual([
      [response.body.message_id, body.content, 'user'],
    ]);
  });

  it('accepts explicit nulls for every optional field and omits nulls in the answer', async () => {
    const body = message({
      customer_id: null,
      session_id: null,
      metadata: null,
      client_token: null,
    });
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body,
    });
    expect(response.status).toBe(200);
    expect(Object.values(response.body)).not.toContain(null);
    expect(response.body.session_id).toBe(body.conversation_id);
  });

  it.each([
    [{ content: '' }, 'content'],
    [{ content: undefined }, 'content'],
    [{ role: 'system' }, 'role'],
    [{ conversation_id: 'not-a-uuid' }, 'conversation_id'],
    [{ user_id: 'a/b' }, 'user_id'],
    [{ metadata: 'text' }, 'metadata'],
  ])('refuses %j naming the field, and writes nothing', async (overrides, field) => {
    const body = message(overrides);
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body,
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'invalid_input', field });
    expect(String(response.body.detail)).toContain(field);
    if (typeof body.conversation_id === 'string' && body.conversation_id.length === 36) {
      expect(await stored(t.tenant.clientId, body.conversation_id)).toEqual([]);
    }
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: '{"oops',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'invalid_input', field: 'body' });
  });

  it('answers 401 without a key, with a wrong key, and with a malformed header', async () => {
    const body = message();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${t.tenant.key.slice(0, -2)}xx` },
      { authorization: 'Basic abc' },
    ];
    for (const headers of attempts) {
      const response = await call(url, 'POST', '/v1/conversations/messages', { body, headers });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('authentication_failed');
    }
    expect(await stored(t.tenant.clientId, body.conversation_id)).toEqual([]);
  });

  it('stores a retried message once and answers the same message_id (Idempotency-Key)', async () => {
    const body = message();
    const headers = { 'idempotency-key': `retry-${randomUUID()}` };
    const first = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body,
      headers,
    });
    const second = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body,
      headers,
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.message_id).toBe(first.body.message_id);
    expect(await stored(t.tenant.clientId, body.conversation_id)).toHaveLength(1);
  });

  it('records a batch in input order; a bad row fails alone and names its field', async () => {
    const conversation = randomUUID();
    const token = `batch-${randomUUID()}`;
    const messages = [
      message({ conversation_id: conversation, content: 'first', client_token: token }),
      message({ conversation_id: conversation, content: '' }),
      message({ conversation_id: conversation, role: 'assistant', content: 'third' }),
    ];
    const response = await call(url, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    const results = response.body.results as Record<string, unknown>[];
    expect(results.map((result) => result.status)).toEqual(['success', 'failed', 'success']);
    expect(results[1]).toMatchObject({ field: 'messages.1.content' });
    expect(results[1]?.message_id).toBeUndefined();
    const rows = await stored(t.tenant.clientId, conversation);
    expect(rows.map((row) => row.content)).toEqual(['first', 'third']);
    // The same client_token again: stored once, same id.
    const retry = await call(url, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages: [messages[0]] },
    });
    expect((retry.body.results as Record<string, unknown>[])[0]?.message_id).toBe(
      results[0]?.message_id,
    );
    expect(await stored(t.tenant.clientId, conversation)).toHaveLength(2);
  });

  it('fails only the row with text the store cannot hold; the rest of the batch commits', async () => {
    const conversation = randomUUID();
    const messages = [
      message({ conversation_id: conversation, content: 'before' }),
      // PostgreSQL refuses NUL in text: refused with this row alone, naming its field.
      message({ conversation_id: conversation, content: 'nul \u0000 byte' }),
      message({ conversation_id: conversation, content: 'after' }),
    ];
    const response = await call(url, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages },
    });
    expect(response.body).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    const results = response.body.results as Record<string, unknown>[];
    expect(results.map((result) => result.status)).toEqual(['success', 'failed', 'success']);
    expect(results[1]?.field).toBe('messages.1.content');
    expect((await stored(t.tenant.clientId, conversation)).map((row) => row.content)).toEqual([
      'before',
      'after',
    ]);
    const conversationRow = await t.server.store.getConversation(t.tenant.clientId, conversation);
    expect(conversationRow?.messageCount).toBe(2);
  });

  it('refuses an empty or oversized batch naming messages', async () => {
    const empty = await call(url, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages: [] },
    });
    expect(empty.status).toBe(422);
    expect(empty.body.field).toBe('messages');
  });

  it('keeps tenants apart: another client writing the same conversation id gets its own conversation', async () => {
    const body = message();
    await call(url, 'POST', '/v1/conversations/messages', { key: t.tenant.key, body });
    const other = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.other.key,
      body: { ...body, user_id: 'mallory', content: 'other tenant' },
    });
    expect(other.status).toBe(200);
    expect(
      (await stored(t.tenant.clientId, body.conversation_id)).map((row) => row.content),
    ).toEqual([body.content]);
    expect(
      (await stored(t.other.clientId, body.conversation_id)).map((row) => row.content),
    ).toEqual(['other tenant']);
  });

  it('refuses a conversation that belongs to another user (409)', async () => {
    const body = message();
    await call(url, 'POST', '/v1/conversations/messages', { key: t.tenant.key, body });
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: { ...body, user_id: 'bob' },
    });
    expect(response.status).toBe(409);
    expect(response.body.field).toBe('user_id');
  });

  it('requires customer_id with user_id for a B2B client', async () => {
    const body = message();
    const refused = await call(url, 'POST', '/v1/conversations/messages', { key: t.b2b.key, body });
    expect(refused.status).toBe(422);
    expect(refused.body.field).toBe('customer_id');
    const accepted = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.b2b.key,
      body: { ...body, customer_id: 'acme' },
    });
    expect(accepted.status).toBe(200);
  });
});

describe('REST limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', {
      requestsPerSecond: 1,
      requestBurst: 2,
      maxBodyBytes: 2048,
    });
  });
  afterAll(() => t?.close());

  it('answers 413 for a body over the limit, naming body', async () => {
    const body = {
      conversation_id: randomUUID(),
      role: 'user',
      user_id: 'alice',
      content: 'x'.repeat(4096),
    };
    const response = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: t.other.key,
      body,
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('answers 429 with an integer Retry-After once the key is over its rate', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await call(t.server.restUrl, 'GET', '/api/v1/auth/whoami', {
        key: t.tenant.key,
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(retryAfter).toMatch(/^\d+$/);
    // Another key is not affected.
    expect(
      (await call(t.server.restUrl, 'GET', '/api/v1/auth/whoami', { key: t.b2b.key })).status,
    ).toBe(200);
  });
});
