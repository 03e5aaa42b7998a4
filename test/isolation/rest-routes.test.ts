import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import {
  expectNoSecrets,
  expectSomeSecret,
  type Pair,
  type Party,
  record,
  seedPairs,
} from './parties.js';

/**
 * Tenancy over every REST route: for two API clients, two customers of one client and
 * two users of one customer, nothing the owner recorded comes back to the intruder.
 * Each check has a positive control (the owner's own read finds its data), so a
 * route that answers nothing to anyone cannot pass by accident.
 */
let t: TestServer;
let pairs: Pair[];

beforeAll(async () => {
  t = await startTestServer('pglite', { requestsPerSecond: 10_000, requestBurst: 10_000 });
  pairs = await seedPairs(t);
});

afterAll(async () => {
  await t?.close();
});

const as = (party: Party, method: string, path: string, body?: unknown) =>
  call(t.server.restUrl, method, path, { key: party.key, ...(body !== undefined ? { body } : {}) });

const identity = (party: Party) => ({
  user_id: party.userId,
  ...(party.customerId ? { customer_id: party.customerId } : {}),
});

const QUERY = 'Lisbon flights seats class approval desk code';

function pair(name: string): Pair {
  const found = pairs.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no pair ${name}`);
  return found;
}

const NAMES = ['two API clients', 'two customers of one client', 'two users of one customer'];

describe.each(NAMES)('isolation between %s', (name) => {
  it('POST /v1/context/{scope}/fetch: the intruder finds none of the owner’s memories', async () => {
    const { owner, intruder, secrets, ownerConversation, intruderConversation } = pair(name);
    const bodies = (party: Party, conversationId: string) => ({
      conversation: { conversation_id: conversationId, search_query: QUERY, max_results: 50 },
      user: { ...identity(party), search_query: QUERY, max_results: 50 },
      customer: { customer_id: party.customerId || 'none', search_query: QUERY, max_results: 50 },
      client: { search_query: QUERY, max_results: 50 },
    });
    const ownerBodies = bodies(owner, ownerConversation);
    const intruderBodies = bodies(intruder, intruderConversation);
    for (const scope of ['conversation', 'user', 'customer', 'client'] as const) {
      const path = `/v1/context/${scope}/fetch`;
      const theirs = await as(intruder, 'POST', path, intruderBodies[scope]);
      expect(theirs.status, `${scope}: ${JSON.stringify(theirs.body)}`).toBe(200);
      expectNoSecrets(theirs.body, secrets, `${intruder.label} ${scope} fetch`);
    }
    const own = await as(owner, 'POST', '/v1/context/conversation/fetch', ownerBodies.conversation);
    expectSomeSecret(own.body, secrets, `${owner.label} conversation fetch`);
    const ownUser = await as(owner, 'POST', '/v1/context/user/fetch', ownerBodies.user);
    expectSomeSecret(ownUser.body, secrets, `${owner.label} user fetch`);
    if (!pair(name).sameClient) {
      const foreign = await as(intruder, 'POST', '/v1/context/conversation/fetch', {
        conversation_id: ownerConversation,
      });
      expect(foreign.status).toBe(404);
    }
  });

  it('GET /v1/conversations/:id/context-for-prompt: the owner’s turns stay the owner’s', async () => {
    const { owner, intruder, secrets, ownerConversation, intruderConversation, sameClient } =
      pair(name);
    const theirs = await as(
      intruder,
      'GET',
      `/v1/conversations/${intruderConversation}/context-for-prompt`,
    );
    expect(theirs.status).toBe(200);
    expectNoSecrets(theirs.body, secrets, `${intruder.label} context-for-prompt`);
    const own = await as(owner, 'GET', `/v1/conversations/${ownerConversation}/context-for-prompt`);
    expectSomeSecret(own.body, secrets, `${owner.label} context-for-prompt`);
    if (!sameClient) {
      const foreign = await as(
        intruder,
        'GET',
        `/v1/conversations/${ownerConversation}/context-for-prompt`,
      );
      expect(foreign.status).toBe(404);
      expectNoSecrets(foreign.body, secrets, `${intruder.label} foreign context-for-prompt`);
    }
  });

  it('POST /v1/conversations/messages: the intruder cannot write into the owner’s conversation', async () => {
    const { owner, intruder, ownerConversation, sameClient } = pair(name);
    const marker = `intruder-${randomUUID()}`;
    const answer = await as(intruder, 'POST', '/v1/conversations/messages', {
      conversation_id: ownerConversation,
      role: 'user',
      content: marker,
      ...identity(intruder),
    });
    if (sameClient) {
      // One client, one id space: the conversation is the owner's, another person is refused.
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    } else {
      // Another client's id space: the same UUID is a conversation of the intruder's own.
      expect(answer.status).toBe(200);
    }
    const own = await as(owner, 'GET', `/v1/conversations/${ownerConversation}/context-for-prompt`);
    expectNoSecrets(
      own.body,
      [marker],
      `${owner.label} context-for-prompt after the intruder wrote`,
    );
  });

  it('POST /v1/conversations/messages/batch: a row aimed at the owner’s conversation fails alone', async () => {
    const { owner, intruder, ownerConversation, intruderConversation, sameClient } = pair(name);
    const marker = `intruder-batch-${randomUUID()}`;
    const answer = await as(intruder, 'POST', '/v1/conversations/messages/batch', {
      messages: [
        {
          conversation_id: intruderConversation,
          role: 'user',
          content: `${marker} own`,
          ...identity(intruder),
        },
        {
          conversation_id: ownerConversation,
          role: 'user',
          content: `${marker} foreign`,
          ...identity(intruder),
        },
      ],
    });
    expect(answer.status).toBe(200);
    const results = answer.body.results as { status: string; conversation_id?: string }[];
    expect(results[0]?.status).toBe('success');
    expect(results[1]?.status).toBe(sameClient ? 'failed' : 'success');
    const own = await as(owner, 'GET', `/v1/conversations/${ownerConversation}/context-for-prompt`);
    expectNoSecrets(
      own.body,
      [marker],
      `${owner.label} context-for-prompt after the intruder's batch`,
    );
  });

  it('POST /v1/conversations/messages: a reused client_token never answers with the owner’s message', async () => {
    const { owner, intruder, ownerConversation, intruderConversation } = pair(name);
    const token = `tok-${randomUUID()}`;
    const mine = await as(owner, 'POST', '/v1/conversations/messages', {
      conversation_id: ownerConversation,
      role: 'user',
      content: 'owner turn with a token',
      client_token: token,
      ...identity(owner),
    });
    expect(mine.status).toBe(200);
    const theirs = await as(intruder, 'POST', '/v1/conversations/messages', {
      conversation_id: intruderConversation,
      role: 'user',
      content: 'intruder turn with the same token',
      client_token: token,
      ...identity(intruder),
    });
    // Either refused naming the token, or stored as the intruder's own: never the owner's row.
    if (theirs.status === 200) {
      expect(theirs.body.conversation_id).toBe(intruderConversation);
      expect(theirs.body.message_id).not.toBe(mine.body.message_id);
    } else {
      expect(theirs.status).toBe(409);
      expect(theirs.body.field).toBe('client_token');
    }
  });

  it('compaction routes: status and result of the owner’s compaction stay the owner’s', async () => {
    const { owner, intruder, secrets, intruderConversation, sameClient } = pair(name);
    // A conversation of its own: the write tests may have made the owner's id one of the
    // intruder's too, in the intruder's own client.
    const ownerConversation = randomUUID();
    await record(t, owner, ownerConversation, [`Compact this: Lisbon trip, code ${secrets[0]}`]);
    const started = await as(owner, 'POST', '/v1/conversations/compact', {
      conversation_id: ownerConversation,
      force: true,
    });
    expect([200, 409]).toContain(started.status);
    const compactionId = await completedCompaction(owner, ownerConversation);
    const ownResult = await as(owner, 'GET', `/v1/conversations/${ownerConversation}/compacted`);
    expect(ownResult.status).toBe(200);
    for (const tail of ['compaction/status', 'compacted']) {
      const theirs = await as(intruder, 'GET', `/v1/conversations/${intruderConversation}/${tail}`);
      expect([200, 404]).toContain(theirs.status);
      expectNoSecrets(theirs.body, [...secrets, compactionId], `${intruder.label} own ${tail}`);
      if (!sameClient) {
        const foreign = await as(intruder, 'GET', `/v1/conversations/${ownerConversation}/${tail}`);
        expect(foreign.status).toBe(404);
        expectNoSecrets(
          foreign.body,
          [...secrets, compactionId],
          `${intruder.label} foreign ${tail}`,
        );
      }
    }
    if (!sameClient) {
      const foreign = await as(intruder, 'POST', '/v1/conversations/compact', {
        conversation_id: ownerConversation,
      });
      expect(foreign.status).toBe(404);
    }
  });

  it('POST /v1/conversations/ingest: the intruder never learns the owner’s ingestion', async () => {
    const { owner, intruder, sameClient } = pair(name);
    const external = `call-${randomUUID()}`;
    // Both parties send this very transcript (the point: one's ingestion is never the
    // other's duplicate), so its code is no secret of the owner's: the intruder said it
    // too, and its own memories may hold it.
    const transcript = [
      { role: 'user', content: `Ingested Lisbon trip, code ${randomUUID()}` },
      { role: 'assistant', content: 'Noted.' },
    ];
    const mine = await as(owner, 'POST', '/v1/conversations/ingest', {
      conversation_id: external,
      transcript,
      ...identity(owner),
    });
    expect(mine.status).toBe(200);
    expect(mine.body.status).toBe('queued');
    const theirs = await as(intruder, 'POST', '/v1/conversations/ingest', {
      conversation_id: external,
      transcript,
      ...identity(intruder),
    });
    expect(theirs.body.ingestion_id).not.toBe(mine.body.ingestion_id);
    expect(theirs.body.status).not.toBe('duplicate');
    if (sameClient) {
      // The external id names the owner's conversation in this client: refused, naming who.
      expect(theirs.status, JSON.stringify(theirs.body)).toBe(409);
    } else {
      expect(theirs.status).toBe(200);
      expect(theirs.body.conversation_id).not.toBe(mine.body.conversation_id);
    }
  });

  it('GET /v1/users/:user_id/profile: the intruder’s profile holds nothing of the owner’s', async () => {
    const { owner, intruder, secrets } = pair(name);
    const query = (party: Party) => (party.customerId ? `?customer_id=${party.customerId}` : '');
    const theirs = await as(
      intruder,
      'GET',
      `/v1/users/${intruder.userId}/profile${query(intruder)}`,
    );
    expect([200, 404]).toContain(theirs.status);
    expectNoSecrets(theirs.body, secrets, `${intruder.label} profile`);
    const own = await as(owner, 'GET', `/v1/users/${owner.userId}/profile${query(owner)}`);
    expectSomeSecret(own.body, secrets, `${owner.label} profile`);
  });

  it('GET /api/v1/auth/whoami: each key answers its own client', async () => {
    const { owner, intruder } = pair(name);
    expect((await as(owner, 'GET', '/api/v1/auth/whoami')).body.client_id).toBe(owner.clientId);
    expect((await as(intruder, 'GET', '/api/v1/auth/whoami')).body.client_id).toBe(
      intruder.clientId,
    );
  });
});

async function completedCompaction(owner: Party, conversationId: string): Promise<string> {
  return vi.waitFor(
    async () => {
      const status = await as(
        owner,
        'GET',
        `/v1/conversations/${conversationId}/compaction/status`,
      );
      if (status.body.status !== 'completed')
        throw new Error(`compaction did not complete: ${JSON.stringify(status.body)}`);
      return String(status.body.compaction_id);
    },
    { timeout: 15_000, interval: 50 },
  );
}
