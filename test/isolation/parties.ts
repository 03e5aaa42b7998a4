import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { NewMemory } from '../../src/store/records.js';
import { memory } from '../support/memories.js';
import { call, type TestServer } from '../support/test-server.js';

/** Someone who records: an API key, and the user and customer it speaks for. */
export interface Party {
  label: string;
  key: string;
  clientId: string;
  userId: string;
  customerId: string;
}

/**
 * An owner whose data must never reach the intruder. `secrets` are words that only the
 * owner's data holds: none may appear in anything the intruder gets back.
 */
export interface Pair {
  name: string;
  owner: Party;
  intruder: Party;
  /** True when both share one API client (so one conversation id space). */
  sameClient: boolean;
  /** The owner's conversation, with recorded turns and memories in every scope it may see. */
  ownerConversation: string;
  /** A conversation of the intruder's own, recorded, so its reads succeed and can be checked. */
  intruderConversation: string;
  secrets: string[];
}

const word = () => `zq${randomUUID().replaceAll('-', '').slice(0, 10)}`;

/** Three pairs over one server: two API clients, two customers of one client, two users of one customer. */
export async function seedPairs(t: TestServer): Promise<Pair[]> {
  const acmeAlice = (label: string): Party => ({
    label,
    key: t.b2b.key,
    clientId: t.b2b.clientId,
    userId: 'alice',
    customerId: 'acme',
  });
  const specs: Omit<Pair, 'ownerConversation' | 'intruderConversation' | 'secrets'>[] = [
    {
      name: 'two API clients',
      owner: {
        label: 'client A',
        key: t.tenant.key,
        clientId: t.tenant.clientId,
        userId: 'alice',
        customerId: '',
      },
      intruder: {
        label: 'client B',
        key: t.other.key,
        clientId: t.other.clientId,
        userId: 'alice',
        customerId: '',
      },
      sameClient: false,
    },
    {
      name: 'two customers of one client',
      owner: acmeAlice('acme/alice'),
      intruder: { ...acmeAlice('globex/alice'), customerId: 'globex' },
      sameClient: true,
    },
    {
      name: 'two users of one customer',
      owner: acmeAlice('acme/alice'),
      intruder: { ...acmeAlice('acme/bob'), userId: 'bob' },
      sameClient: true,
    },
  ];
  const pairs: Pair[] = [];
  for (const spec of specs) pairs.push(await seedPair(t, spec));
  return pairs;
}

async function seedPair(
  t: TestServer,
  spec: Omit<Pair, 'ownerConversation' | 'intruderConversation' | 'secrets'>,
): Promise<Pair> {
  const { owner, intruder } = spec;
  const ownerConversation = randomUUID();
  const intruderConversation = randomUUID();
  const said = word();
  const userFact = word();
  const conversationFact = word();
  const secrets = [said, userFact, conversationFact];
  await record(t, owner, ownerConversation, [
    `Book me a flight to Lisbon, my code word is ${said}`,
    `Done: Lisbon flight booked with code ${said}`,
  ]);
  await record(t, intruder, intruderConversation, ['Book me a flight to Lisbon please']);
  const memories: NewMemory[] = [
    memory({
      userId: owner.userId,
      customerId: owner.customerId,
      content: `${owner.userId} prefers ${userFact} seats on flights to Lisbon`,
      memoryType: 'preferences',
    }),
    memory({
      scope: 'conversation',
      conversationId: ownerConversation,
      userId: owner.userId,
      customerId: owner.customerId,
      content: `Flight to Lisbon for this trip is booked in ${conversationFact} class`,
    }),
  ];
  // A broader scope of the owner's that the intruder does not share.
  if (owner.customerId !== intruder.customerId) {
    const customerFact = word();
    secrets.push(customerFact);
    memories.push(
      memory({
        scope: 'customer',
        userId: '',
        customerId: owner.customerId,
        content: `Company policy: Lisbon flights need ${customerFact} approval`,
      }),
    );
  }
  if (owner.clientId !== intruder.clientId) {
    const clientFact = word();
    secrets.push(clientFact);
    memories.push(
      memory({
        scope: 'client',
        userId: '',
        customerId: '',
        content: `All Lisbon flights are handled by the ${clientFact} desk`,
      }),
    );
  }
  await t.server.store.insertMemories(owner.clientId, memories);
  return { ...spec, ownerConversation, intruderConversation, secrets };
}

/** Records turns (user, then assistant, alternating) for a party, checking each is stored. */
export async function record(
  t: TestServer,
  party: Party,
  conversationId: string,
  turns: string[],
): Promise<void> {
  for (const [index, content] of turns.entries()) {
    const answer = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: party.key,
      body: {
        conversation_id: conversationId,
        role: index % 2 === 0 ? 'user' : 'assistant',
        content,
        user_id: party.userId,
        ...(party.customerId ? { customer_id: party.customerId } : {}),
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

/** Fails naming the secret when any of `secrets` is in `value` (any JSON-able answer). */
export function expectNoSecrets(value: unknown, secrets: readonly string[], where: string): void {
  const text = JSON.stringify(value) ?? '';
  for (const secret of secrets) {
    expect(text.includes(secret), `${where} leaked ${secret}: ${text.slice(0, 500)}`).toBe(false);
  }
}

/** Fails unless at least one of `secrets` is in `value`: the positive control of each check. */
export function expectSomeSecret(value: unknown, secrets: readonly string[], where: string): void {
  const text = JSON.stringify(value) ?? '';
  expect(
    secrets.some((secret) => text.includes(secret)),
    `${where}: the owner's own read found none of its data: ${text.slice(0, 500)}`,
  ).toBe(true);
}
