import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '../../../src/server/rest/openapi-document.js';
import { openApiMarkdown } from '../../../src/server/rest/openapi-markdown.js';
import { REST_ROUTES } from '../../../src/server/rest/rest-routes.js';
import { type RouteDependencies, registerRoutes } from '../../../src/server/rest/routes/index.js';
import { call, startTestServer, type TestServer } from '../../support/test-server.js';

const root = new URL('../../..', import.meta.url).pathname;
const CONVERSATION = '7d0b1c1e-4a55-4b1e-9a57-0f4e8c3b2a11';

describe('the API document', () => {
  it('lists exactly the routes the server registers', () => {
    const app = Fastify();
    const registered: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
    });
    // Handlers are only registered here, never called: no dependency is touched.
    registerRoutes(app, {} as RouteDependencies);
    const documented = REST_ROUTES.map(
      (route) => `${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`,
    );
    expect(documented.sort()).toEqual(registered.sort());
  });

  it('is what docs/api.md renders (regenerate with `npm run docs:api`)', () => {
    const committed = readFileSync(`${root}docs/api.md`, 'utf8');
    expect(committed, 'docs/api.md drifted from the code: run `npm run docs:api`').toBe(
      openApiMarkdown(openApiDocument()),
    );
  });

  it('documents each body field with the rule its zod schema enforces', () => {
    const document = openApiDocument() as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                {
                  schema: {
                    properties: Record<string, { maxLength?: number }>;
                    required: string[];
                  };
                }
              >;
            };
          }
        >
      >;
    };
    const body =
      document.paths['/v1/conversations/messages']?.post?.requestBody?.content['application/json']
        ?.schema;
    expect(body?.required).toEqual(['conversation_id', 'role', 'content']);
    expect(body?.properties.content?.maxLength).toBe(256 * 1024);
  });
});

/**
 * One valid request for each operation of the served document, keyed by operationId: a
 * route added without a request here fails the test below.
 */
const REQUESTS: Record<string, { path?: string; body?: unknown; key?: boolean }> = {
  health: {},
  ready: {},
  metrics: {},
  openapi: {},
  whoami: { key: true },
  telemetryBatch: { key: true, body: { events: [{ name: 'x' }] } },
  recordMessage: {
    key: true,
    body: {
      conversation_id: CONVERSATION,
      role: 'user',
      content: 'I prefer aisle seats.',
      user_id: 'alice',
    },
  },
  recordMessages: {
    key: true,
    body: { messages: [{ conversation_id: CONVERSATION, role: 'assistant', content: 'Noted.' }] },
  },
  ingestConversation: {
    key: true,
    body: { conversation_id: 'call-1', user_id: 'alice', transcript: 'user: hello' },
  },
  // The path takes the id the ingestConversation request (listed before it) answered.
  getIngestionStatus: { key: true },
  ingestMemories: {
    key: true,
    body: { messages: [{ role: 'user', content: 'I fly aisle seats.' }], user_id: 'alice' },
  },
  fetchConversationContext: { key: true, body: { conversation_id: CONVERSATION } },
  fetchUserContext: { key: true, body: { user_id: 'alice' } },
  fetchCustomerContext: { key: true, body: { customer_id: 'acme' } },
  fetchClientContext: { key: true, body: {} },
  compactConversation: { key: true, body: { conversation_id: CONVERSATION, force: true } },
  getCompactionStatus: { key: true, path: `/v1/conversations/${CONVERSATION}/compaction/status` },
  getCompacted: { key: true, path: `/v1/conversations/${CONVERSATION}/compacted` },
  getContextForPrompt: { key: true, path: `/v1/conversations/${CONVERSATION}/context-for-prompt` },
  getUserProfile: { key: true, path: '/v1/users/alice/profile' },
  postEvent: {
    key: true,
    body: {
      event_type: 'tool_call',
      conversation_id: CONVERSATION,
      user_id: 'alice',
      tool_name: 'book_flight',
    },
  },
  nextBundles: {
    key: true,
    path: `/v1/bundles/next?conversation_id=${CONVERSATION}&user_id=alice&wait_ms=0`,
  },
};

describe('GET /openapi.json', { timeout: 60_000 }, () => {
  let t: TestServer;
  let served: {
    paths: Record<
      string,
      Record<string, { operationId: string; responses: Record<string, unknown> }>
    >;
  };
  beforeAll(async () => {
    t = await startTestServer('pglite');
    const response = await call(t.server.restUrl, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    served = response.body as typeof served;
  });
  afterAll(() => t?.close());

  it('serves the generated document, without a key', () => {
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('every operation it lists answers a valid request with a status it documents', async () => {
    const operations = Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBe(REST_ROUTES.length);
    // In the order listed: the turns are recorded before the compaction reads them, and
    // the transcript is ingested before its status is asked for.
    let ingestionId = '';
    for (const { path, method, operation } of operations) {
      const request = REQUESTS[operation.operationId];
      expect(request, `no request for ${operation.operationId} in this test`).toBeDefined();
      if (operation.operationId === 'getCompacted') await compactionDone(t);
      const target =
        operation.operationId === 'getIngestionStatus'
          ? `/api/v1/memories/status/${ingestionId}`
          : (request?.path ?? path);
      const response = await fetch(`${t.server.restUrl}${target}`, {
        method: method.toUpperCase(),
        headers: {
          ...(request?.key ? { authorization: `Bearer ${t.tenant.key}` } : {}),
          ...(request?.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(request?.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
      const label = `${method.toUpperCase()} ${path}: ${await response.clone().text()}`;
      expect(response.status, label).toBeGreaterThanOrEqual(200);
      expect(response.status, label).toBeLessThan(300);
      expect(Object.keys(operation.responses), label).toContain(String(response.status));
      if (operation.operationId === 'ingestConversation') {
        ingestionId = ((await response.json()) as { ingestion_id: string }).ingestion_id;
      }
    }
  });
});

async function compactionDone(t: TestServer): Promise<void> {
  await vi.waitFor(
    async () => {
      const status = await call(
        t.server.restUrl,
        'GET',
        `/v1/conversations/${CONVERSATION}/compaction/status`,
        { key: t.tenant.key },
      );
      expect(status.body.status).toBe('completed');
    },
    { timeout: 20_000, interval: 50 },
  );
}
