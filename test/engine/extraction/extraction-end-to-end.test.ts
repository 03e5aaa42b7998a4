import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startTestServer, type TestServer } from '../../support/test-server.js';

describe('extraction through the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(() => t?.close());

  it('serves a preference recorded over REST from /v1/context/user/fetch', async () => {
    const url = t.server.restUrl;
    const conversation = randomUUID();
    const response = await call(url, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: {
        messages: [
          {
            conversation_id: conversation,
            user_id: 'dana',
            role: 'user',
            content: 'I always take the train when I can, and I prefer window seats.',
          },
          {
            conversation_id: conversation,
            user_id: 'dana',
            role: 'assistant',
            content: 'I love window seats too! Shall I book one?',
          },
        ],
      },
    });
    expect(response.status).toBe(200);

    const fetchPreferences = () =>
      call(url, 'POST', '/v1/context/user/fetch', {
        key: t.tenant.key,
        body: { user_id: 'dana', types: ['preferences'] },
      });
    await vi.waitFor(
      async () => {
        const fetched = await fetchPreferences();
        expect(fetched.status).toBe(200);
        const context = fetched.body.context as Record<string, { content: string }[]>;
        const contents = (context.preferences ?? []).map((item) => item.content);
        expect(contents.sort()).toEqual(['Always takes the train', 'Prefers window seats']);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
