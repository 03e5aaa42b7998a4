import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../support/test-server.js';

const conversation = randomUUID();

/** Every authenticated route of wire.md, with a body that would otherwise be valid. */
const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/v1/auth/whoami'],
  ['POST', '/v1/telemetry/batch', { events: [] }],
  ['GET', '/v1/users/alice/profile'],
  [
    'POST',
    '/v1/conversations/messages',
    { conversation_id: conversation, role: 'user', content: 'hi', user_id: 'alice' },
  ],
  [
    'POST',
    '/v1/conversations/messages/batch',
    {
      messages: [{ conversation_id: conversation, role: 'user', content: 'hi', user_id: 'alice' }],
    },
  ],
  [
    'POST',
    '/v1/conversations/ingest',
    { conversation_id: conversation, user_id: 'alice', transcript: 'user: hi' },
  ],
  ['POST', '/v1/context/conversation/fetch', { conversation_id: conversation }],
  ['POST', '/v1/context/user/fetch', { user_id: 'alice' }],
  ['POST', '/v1/context/customer/fetch', { customer_id: 'acme' }],
  ['POST', '/v1/context/client/fetch', {}],
  ['POST', '/v1/conversations/compact', { conversation_id: conversation }],
  ['GET', `/v1/conversations/${conversation}/compacted`],
  ['GET', `/v1/conversations/${conversation}/compaction/status`],
  ['GET', `/v1/conversations/${conversation}/context-for-prompt`],
  [
    'POST',
    '/v1/events',
    { event_type: 'tool_call', conversation_id: conversation, user_id: 'alice', tool_name: 'x' },
  ],
  ['GET', `/v1/bundles/next?conversation_id=${conversation}&user_id=alice&wait_ms=0`],
];

describe('authentication on every route', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Every route is probed with bad keys from one address: far past the failure throttle.
    t = await startTestServer('pglite', { authFailureBurst: 100_000 });
  });
  afterAll(() => t?.close());

  it.each(ROUTES)(
    '%s %s answers 401 without a key and with a revoked key, and writes nothing',
    async (method, path, body) => {
      const missing = await call(
        t.server.restUrl,
        method,
        path,
        body === undefined ? {} : { body },
      );
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ code: 'authentication_failed' });
      const { key, record } = await t.server.apiKeys.create({
        clientId: t.tenant.clientId,
        name: 'to revoke',
      });
      await t.server.apiKeys.revoke(record.id);
      const revoked = await call(
        t.server.restUrl,
        method,
        path,
        body === undefined ? { key } : { key, body },
      );
      expect(revoked.status).toBe(401);
      expect(await t.server.store.getConversation(t.tenant.clientId, conversation)).toBeNull();
    },
  );

  it('leaves /health, /ready and /metrics open', async () => {
    for (const path of ['/health', '/ready', '/metrics']) {
      expect((await fetch(`${t.server.restUrl}${path}`)).status).toBe(200);
    }
  });
});
