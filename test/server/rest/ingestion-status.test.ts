import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKENDS, call, startTestServer, type TestServer } from '../../support/test-server.js';

// Synap's Python client polls `GET /api/v1/memories/status/{ingestion_id}` after
// `ingest_transcript` (memories.status / wait_for_completion). It reads ingestion_id
// (a UUID), document_id, status (queued | processing | completed | failed |
// partial_success; wait_for_completion stops at the last three) and queued_at with
// datetime.fromisoformat, and optionally started_at, completed_at, memories_created,
// memory_ids and error_message. A null where it expects a value crashes it.
const STATUSES = ['queued', 'processing', 'completed', 'failed', 'partial_success'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(BACKENDS)('the ingestion status route on %s', (backend) => {
  let t: TestServer;
  let url: string;
  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.restUrl;
  });
  afterAll(() => t?.close());

  it('answers a transcript ingestion in the shape the Python client parses, until completed', async () => {
    const ingested = await call(url, 'POST', '/v1/conversations/ingest', {
      key: t.tenant.key,
      body: {
        conversation_id: 'call-2026-12-01-0900',
        user_id: '+351912345678',
        transcript: [
          { role: 'user', content: 'I prefer morning flights to Lisbon.' },
          { role: 'assistant', content: 'Noted.' },
        ],
      },
    });
    expect(ingested.status).toBe(200);
    const ingestionId = String(ingested.body.ingestion_id);
    const path = `/api/v1/memories/status/${ingestionId}`;
    const first = await call(url, 'GET', path, { key: t.tenant.key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      ingestion_id: ingestionId,
      document_id: ingested.body.conversation_id,
      queued_at: expect.stringMatching(ISO),
      memories_created: expect.any(Number),
      memory_ids: expect.any(Array),
    });
    expect(STATUSES).toContain(first.body.status);
    expect(Object.values(first.body)).not.toContain(null);
    await vi.waitFor(
      async () => {
        const polled = await call(url, 'GET', path, { key: t.tenant.key });
        expect(polled.body.status).toBe('completed');
        expect(polled.body.completed_at).toMatch(ISO);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('answers 404 for an id it does not know or another client owns, 422 for one that is not a UUID', async () => {
    const ingested = await call(url, 'POST', '/v1/conversations/ingest', {
      key: t.tenant.key,
      body: { conversation_id: 'call-b', user_id: 'ana', transcript: 'user: hello' },
    });
    const path = `/api/v1/memories/status/${String(ingested.body.ingestion_id)}`;
    expect((await call(url, 'GET', path, { key: t.other.key })).status).toBe(404);
    const unknown = await call(
      url,
      'GET',
      '/api/v1/memories/status/00000000-0000-4000-8000-000000000000',
      { key: t.tenant.key },
    );
    expect(unknown.status).toBe(404);
    const malformed = await call(url, 'GET', '/api/v1/memories/status/not-an-id', {
      key: t.tenant.key,
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.field).toBe('id');
  });
});
