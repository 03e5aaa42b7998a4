import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 11 (LOW): an `Idempotency-Key` reused with different content answered 200
 * with the first message's id and dropped the new content silently. It is a 409 now,
 * naming the header and the key; the same content again is still the same answer.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer('pglite');
});

afterAll(async () => {
  await t?.close();
});

describe('Idempotency-Key reused with other content (finding 11)', () => {
  it('answers 409 naming the key; a true retry still answers the first message', async () => {
    const conversation = randomUUID();
    const key = `order-${randomUUID()}`;
    const record = (content: string) =>
      call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
        key: t.tenant.key,
        headers: { 'idempotency-key': key },
        body: { conversation_id: conversation, role: 'user', content, user_id: 'alice' },
      });
    const first = await record('Book the 9:40 to Lisbon');
    expect(first.status).toBe(200);
    const retry = await record('Book the 9:40 to Lisbon');
    expect(retry.status).toBe(200);
    expect(retry.body.message_id).toBe(first.body.message_id);
    const other = await record('Cancel everything');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('conflict');
    expect(other.body.field).toBe('Idempotency-Key');
    expect(other.body.detail).toContain(key);
    expect(other.body.detail).toMatch(/other content/);
    const turns = await call(
      t.server.restUrl,
      'GET',
      `/v1/conversations/${conversation}/context-for-prompt`,
      { key: t.tenant.key },
    );
    expect(JSON.stringify(turns.body)).not.toContain('Cancel everything');
  });

  it('a batch row’s client_token reused with other content fails that row alone', async () => {
    const conversation = randomUUID();
    const row = (content: string, token: string) => ({
      conversation_id: conversation,
      role: 'user',
      content,
      user_id: 'alice',
      client_token: token,
    });
    const token = `tok-${randomUUID()}`;
    const first = await call(t.server.restUrl, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages: [row('first', token)] },
    });
    expect(first.body.succeeded).toBe(1);
    const again = await call(t.server.restUrl, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: { messages: [row('changed', token), row('fresh', `tok-${randomUUID()}`)] },
    });
    const results = again.body.results as Record<string, unknown>[];
    expect(results[0]).toMatchObject({ status: 'failed', code: 'conflict', field: 'client_token' });
    expect(results[1]).toMatchObject({ status: 'success' });
  });
});
