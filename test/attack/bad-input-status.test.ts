import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 8 (LOW): 500s for bad input instead of 4xx naming the field, and a retryable
 * code on input that can never succeed: NUL in query parameters, `timestamp_ms`
 * 8.64e15, ingest timestamps in year 0000, thousands of nesting levels in tool
 * arguments, telemetry and message metadata.
 */
let t: TestServer;
let grpc: SynapServiceClient;

beforeAll(async () => {
  t = await startTestServer('pglite');
  grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
});

afterAll(async () => {
  grpc?.close();
  await t?.close();
});

const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const event = (overrides: Record<string, unknown>) => ({
  event_type: 'tool_call',
  conversation_id: randomUUID(),
  user_id: 'alice',
  tool_name: 'book_flight',
  ...overrides,
});

/** A 4xx naming `field` (its first segment at least), never a retryable code. */
async function refusedNaming(
  method: string,
  path: string,
  field: string,
  body?: unknown | string,
): Promise<void> {
  const answer = await call(t.server.restUrl, method, path, {
    key: t.tenant.key,
    ...(body !== undefined ? { body } : {}),
  });
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.status).not.toBe(429);
  expect(String(answer.body.field)).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}`));
  expect(answer.body.code).toBe('invalid_input');
}

describe('bad input answers 4xx naming the field (finding 8)', () => {
  it('NUL in user_id or customer_id of GET /v1/bundles/next', async () => {
    const conversation = randomUUID();
    await refusedNaming(
      'GET',
      `/v1/bundles/next?conversation_id=${conversation}&user_id=a%00b&wait_ms=0`,
      'user_id',
    );
    await refusedNaming(
      'GET',
      `/v1/bundles/next?conversation_id=${conversation}&user_id=alice&customer_id=%00&wait_ms=0`,
      'customer_id',
    );
  });

  it('timestamp_ms 8.64e15 on POST /v1/events', async () => {
    await refusedNaming('POST', '/v1/events', 'timestamp_ms', event({ timestamp_ms: 8.64e15 }));
  });

  it('an ingest turn timestamp in year 0000', async () => {
    await refusedNaming('POST', '/v1/conversations/ingest', 'transcript', {
      conversation_id: 'year-zero',
      user_id: 'alice',
      transcript: [{ role: 'user', content: 'hi', timestamp: '0000-01-01T00:00:00Z' }],
    });
  });

  it('tool_args nested 50k deep, tool_args_json 10k deep', async () => {
    await refusedNaming(
      'POST',
      '/v1/events',
      'tool_args',
      `{"event_type":"tool_call","conversation_id":"${randomUUID()}","user_id":"alice","tool_args":${nestedJson(50_000)}}`,
    );
    await refusedNaming(
      'POST',
      '/v1/events',
      'tool_args_json',
      event({ tool_args_json: nestedJson(10_000) }),
    );
  });

  it('telemetry metadata nested 20k deep', async () => {
    await refusedNaming(
      'POST',
      '/v1/telemetry/batch',
      'events.0.metadata',
      `{"events":[{"event_type":"x","metadata":${nestedJson(20_000)}}]}`,
    );
  });

  it('message metadata nested 5k deep: 422 with a code that is not retryable', async () => {
    // Text, not JSON.stringify: the test's own serializer would overflow on it too.
    const message = (metadata: string) =>
      `{"conversation_id":"${randomUUID()}","role":"user","content":"hi","user_id":"alice","metadata":${metadata}}`;
    await refusedNaming(
      'POST',
      '/v1/conversations/messages',
      'metadata',
      message(nestedJson(5000)),
    );
    const batch = await call(t.server.restUrl, 'POST', '/v1/conversations/messages/batch', {
      key: t.tenant.key,
      body: `{"messages":[${message(nestedJson(5000))},${message('{}')}]}`,
    });
    expect(batch.status).toBe(200);
    const results = batch.body.results as Record<string, unknown>[];
    expect(results[0]?.code).toBe('invalid_input');
    expect(String(results[0]?.field)).toMatch(/^messages\.0\.metadata/);
    expect(results[1]?.status).toBe('success');
  });

  it('tool_args_json 10k deep on the Listen stream: an error signal naming the field', async () => {
    const probe = new ListenProbe(grpc, t.tenant.key);
    try {
      probe.send({
        $case: 'conversationEvent',
        value: {
          eventType: 'tool_call',
          conversationId: randomUUID(),
          userId: 'alice',
          role: 'assistant',
          content: '',
          customerId: '',
          sessionId: '',
          metadata: {},
          timestampMs: 8_640_000_000_000_000,
          toolName: 'book_flight',
          toolArgsJson: nestedJson(10_000),
          searchQueries: [],
          contextTypes: [],
        },
      });
      const signal = await probe.nextSignal('error');
      expect(signal.metadata.code).toBe('invalid_input');
      expect(['timestamp_ms', 'tool_args_json']).toContain(signal.metadata.field);
    } finally {
      probe.call.end();
    }
  });
});
