import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextBundleProto, SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { expectNoSecrets, expectSomeSecret, type Pair, type Party, seedPairs } from './parties.js';

/**
 * Tenancy on the two event paths (PostgreSQL store): bundles pushed on the gRPC Listen
 * stream and answered by the HTTP long-poll never carry the owner's data to the
 * intruder, whose own events on the same kind of turn do get bundles.
 */
let t: TestServer;
let pairs: Pair[];
let grpc: SynapServiceClient;
const probes: ListenProbe[] = [];

beforeAll(async () => {
  t = await startTestServer('postgres', { requestsPerSecond: 10_000, requestBurst: 10_000 });
  pairs = await seedPairs(t);
  grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
});

afterAll(async () => {
  for (const probe of probes) probe.call.end();
  grpc?.close();
  await t?.close();
});

const NAMES = ['two API clients', 'two customers of one client', 'two users of one customer'];

function pair(name: string): Pair {
  const found = pairs.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no pair ${name}`);
  return found;
}

function toolCall(party: Party, conversationId: string, eventId: string) {
  return {
    eventType: 'tool_call',
    conversationId,
    userId: party.userId,
    role: 'assistant',
    content: '',
    customerId: party.customerId,
    sessionId: '',
    metadata: { event_id: eventId },
    timestampMs: Date.now(),
    toolName: 'book_flight',
    toolArgsJson: JSON.stringify({ destination: 'Lisbon', seats: 'aisle', class: 'business' }),
    searchQueries: ['Lisbon flights seats class approval desk code'],
    contextTypes: [],
  };
}

function open(party: Party): ListenProbe {
  const probe = new ListenProbe(grpc, party.key);
  probes.push(probe);
  return probe;
}

const bundles = (probe: ListenProbe): ContextBundleProto[] =>
  probe.received.flatMap((payload) => (payload.$case === 'contextBundle' ? [payload.value] : []));

const post = (party: Party, conversationId: string, eventId: string) => {
  const event = toolCall(party, conversationId, eventId);
  return call(t.server.restUrl, 'POST', '/v1/events', {
    key: party.key,
    body: {
      event_type: event.eventType,
      conversation_id: conversationId,
      user_id: party.userId,
      ...(party.customerId ? { customer_id: party.customerId } : {}),
      metadata: event.metadata,
      tool_name: event.toolName,
      tool_args: JSON.parse(event.toolArgsJson),
      search_queries: event.searchQueries,
    },
  });
};
// A B2B party polls with its customer, as events carry it (the server requires it there).
const poll = (party: Party, conversationId: string, userId = party.userId) =>
  call(
    t.server.restUrl,
    'GET',
    `/v1/bundles/next?conversation_id=${conversationId}&user_id=${userId}${
      party.customerId ? `&customer_id=${party.customerId}` : ''
    }&wait_ms=0`,
    { key: party.key },
  );

describe.each(NAMES)('event paths between %s', (name) => {
  it('gRPC Listen: the intruder’s stream never carries the owner’s bundle or data', async () => {
    const { owner, intruder, secrets, ownerConversation, intruderConversation } = pair(name);
    const ownerStream = open(owner);
    const intruderStream = open(intruder);
    const ownerEvent = `owner-${randomUUID()}`;
    ownerStream.send({
      $case: 'conversationEvent',
      value: toolCall(owner, ownerConversation, ownerEvent),
    });
    const own = await ownerStream.nextBundle((bundle) => bundle.inReplyToEventId === ownerEvent);
    expectSomeSecret(own, secrets, `${owner.label} stream bundle`);

    const intruderEvent = `intruder-${randomUUID()}`;
    intruderStream.send({
      $case: 'conversationEvent',
      value: toolCall(intruder, intruderConversation, intruderEvent),
    });
    const theirs = await intruderStream.nextBundle(
      (bundle) => bundle.inReplyToEventId === intruderEvent,
    );
    expect(theirs.anticipationConversationId).toBe(intruderConversation);
    // The owner's bundle went out before the intruder's own answer: had it been pushed
    // to the intruder's stream too, it would be in `received` by now.
    for (const bundle of bundles(intruderStream)) {
      expect(bundle.inReplyToEventId).not.toBe(ownerEvent);
      expectNoSecrets(bundle, secrets, `${intruder.label} stream bundle`);
    }
  });

  it('POST /v1/events + GET /v1/bundles/next: the intruder’s polls never answer the owner’s bundles', async () => {
    const { owner, intruder, secrets, ownerConversation, intruderConversation, sameClient } =
      pair(name);
    const ownerEvent = `owner-http-${randomUUID()}`;
    expect((await post(owner, ownerConversation, ownerEvent)).status).toBe(200);
    const own = await poll(owner, ownerConversation);
    expect(JSON.stringify(own.body)).toContain(ownerEvent);
    expectSomeSecret(own.body, secrets, `${owner.label} poll`);

    const intruderEvent = `intruder-http-${randomUUID()}`;
    expect((await post(intruder, intruderConversation, intruderEvent)).status).toBe(200);
    const theirs = await poll(intruder, intruderConversation);
    expect(JSON.stringify(theirs.body)).toContain(intruderEvent);
    expectNoSecrets(theirs.body, [...secrets, ownerEvent], `${intruder.label} poll`);

    if (!sameClient) {
      // Another client asking for the owner's conversation and user by name gets nothing.
      const foreign = await poll(intruder, ownerConversation, owner.userId);
      expect(foreign.status).toBe(200);
      expect(foreign.body.bundles).toEqual([]);
    }
  });

  it('GET /v1/bundles/next: the owner’s conversation polled under the intruder’s identity answers nothing of the owner’s', async () => {
    const { owner, intruder, secrets, ownerConversation } = pair(name);
    const ownerEvent = `owner-poll-${randomUUID()}`;
    expect((await post(owner, ownerConversation, ownerEvent)).status).toBe(200);
    expect(JSON.stringify((await poll(owner, ownerConversation)).body)).toContain(ownerEvent);
    const foreign = await poll(intruder, ownerConversation);
    expect(foreign.status).toBe(200);
    expectNoSecrets(foreign.body, [...secrets, ownerEvent], `${intruder.label} foreign poll`);
  });
});
