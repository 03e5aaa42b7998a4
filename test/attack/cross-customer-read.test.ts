import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 1 (HIGH): in B2B mode, erin of customer acme records turns; an event naming
 * her conversation with `user_id: erin, customer_id: globex` (another person: the same
 * user id under another customer) got a bundle whose recent turns held all of acme's.
 * Ownership is the user and the customer.
 */
let t: TestServer;
let grpc: SynapServiceClient;
const conversation = randomUUID();
const secret = `zq${randomUUID().replaceAll('-', '').slice(0, 12)}`;

beforeAll(async () => {
  t = await startTestServer('pglite');
  grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
  for (const [role, content] of [
    ['user', `My door code is ${secret}, book me a flight to Lisbon`],
    ['assistant', 'Booking a flight to Lisbon'],
  ] as const) {
    const answer = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: t.b2b.key,
      body: { conversation_id: conversation, role, content, user_id: 'erin', customer_id: 'acme' },
    });
    expect(answer.status).toBe(200);
  }
});

afterAll(async () => {
  grpc?.close();
  await t?.close();
});

const event = (customerId: string, eventId: string) => ({
  event_type: 'tool_call',
  conversation_id: conversation,
  user_id: 'erin',
  customer_id: customerId,
  metadata: { event_id: eventId },
  tool_name: 'book_flight',
  tool_args: { destination: 'Lisbon' },
});

async function bundleFor(customerId: string): Promise<Record<string, unknown>> {
  const eventId = randomUUID();
  const posted = await call(t.server.restUrl, 'POST', '/v1/events', {
    key: t.b2b.key,
    body: event(customerId, eventId),
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  const query = new URLSearchParams({
    conversation_id: conversation,
    user_id: 'erin',
    customer_id: customerId,
    wait_ms: '0',
  });
  const next = await call(t.server.restUrl, 'GET', `/v1/bundles/next?${query}`, {
    key: t.b2b.key,
  });
  expect(next.status).toBe(200);
  const bundles = next.body.bundles as Record<string, unknown>[];
  const bundle = bundles.find((candidate) => candidate.in_reply_to_event_id === eventId);
  if (!bundle) throw new Error(`no bundle for ${eventId}: ${JSON.stringify(next.body)}`);
  return bundle;
}

describe('B2B cross-customer read (finding 1)', () => {
  it('the owner (erin of acme) gets her own turns: the control', async () => {
    expect(JSON.stringify(await bundleFor('acme'))).toContain(secret);
  });

  it('POST /v1/events as erin of globex gets none of acme’s turns', async () => {
    const bundle = await bundleFor('globex');
    expect(JSON.stringify(bundle)).not.toContain(secret);
  });

  it('Listen as erin of globex gets none of acme’s turns', async () => {
    const probe = new ListenProbe(grpc, t.b2b.key);
    try {
      probe.send({
        $case: 'conversationEvent',
        value: {
          eventType: 'tool_call',
          conversationId: conversation,
          userId: 'erin',
          role: 'assistant',
          content: '',
          customerId: 'globex',
          sessionId: '',
          metadata: { event_id: randomUUID() },
          timestampMs: Date.now(),
          toolName: 'book_flight',
          toolArgsJson: JSON.stringify({ destination: 'Lisbon' }),
          searchQueries: ['door code Lisbon'],
          contextTypes: [],
        },
      });
      const bundle = await probe.nextBundle();
      expect(bundle.anticipationCustomerId).toBe('globex');
      expect(JSON.stringify(bundle)).not.toContain(secret);
    } finally {
      probe.call.end();
    }
  });

  it('a conversation fetch speaking for erin of globex answers 404', async () => {
    const fetched = await call(t.server.restUrl, 'POST', '/v1/context/conversation/fetch', {
      key: t.b2b.key,
      body: { conversation_id: conversation, user_id: 'erin', customer_id: 'globex' },
    });
    expect(fetched.status).toBe(404);
    expect(JSON.stringify(fetched.body)).not.toContain(secret);
  });
});
