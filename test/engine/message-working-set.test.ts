import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MessageQuery, MessageWorkingSet } from '../../src/engine/message-working-set.js';
import {
  SemanticSimilarity,
  semanticWords,
  stem,
} from '../../src/engine/semantic/semantic-similarity.js';
import type { Store } from '../../src/store/store.js';
import { clientId, newMessage } from '../store/fixtures.js';
import { pgliteBackend } from '../store/store-backends.js';
import { holdReads } from '../support/held-reads.js';
import { memory } from '../support/memories.js';
import { daysFromNow } from '../support/relative-dates.js';

const backend = pgliteBackend();
let store: Store;
const semantic = new SemanticSimilarity();
const words = (text: string, key: string) => semantic.textWords(text, key);

/** A search for alice's messages with these planned queries (weight, text). */
function query(queries: [number, string][], overrides: Partial<MessageQuery> = {}): MessageQuery {
  return {
    userId: 'alice',
    customerId: '',
    queries: queries.map(([weight, text]) => ({
      weight,
      stems: [...new Set(semanticWords(text).map(stem))],
    })),
    limit: 8,
    ...overrides,
  };
}
const contents = (held: { message: { content: string } }[]) =>
  held.map((entry) => entry.message.content);

async function record(tenant: string, content: string, overrides = {}): Promise<string> {
  const [outcome] = await store.recordMessages(tenant, [
    newMessage({ userId: 'alice', content, ...overrides }),
  ]);
  if (!outcome?.ok) throw new Error('not recorded');
  return outcome.message.id;
}

beforeAll(async () => {
  store = await backend.open();
});

afterAll(async () => {
  await store.close();
  await backend.destroy();
});

describe('MessageWorkingSet', () => {
  it('finds the messages with a query word, best match first, and sees a record as soon as it resolves', async () => {
    const tenant = clientId();
    const set = new MessageWorkingSet({ store, words });
    await record(tenant, 'The vet said Pepper needs her rabies shot');
    await record(tenant, 'Booked the dentist for Thursday');
    await record(tenant, 'Pepper hates the car');
    const search = query([
      [0.9, 'Pepper'],
      [0.6, 'rabies vaccine'],
    ]);
    expect(contents(await set.search(tenant, search, new Date()))).toEqual([
      'The vet said Pepper needs her rabies shot',
      'Pepper hates the car',
    ]);
    expect(set.stats().users).toBe(1);
    // Held now: the next record is read by id before the next search, no refill.
    await record(tenant, 'Pepper gets carsick on long drives');
    expect(contents(await set.search(tenant, search, new Date()))).toEqual([
      'The vet said Pepper needs her rabies shot',
      'Pepper gets carsick on long drives',
      'Pepper hates the car',
    ]);
    // Newest first among equals; a message of another user is never seen.
    await record(tenant, 'Pepper is my cat', { userId: 'bob' });
    expect(contents(await set.search(tenant, search, new Date()))).not.toContain(
      'Pepper is my cat',
    );
    set.close();
  });

  it('keeps only the asked customer when one is named, and at most `limit`', async () => {
    const tenant = clientId();
    const set = new MessageWorkingSet({ store, words });
    await record(tenant, 'Invoice for Acme is late', { customerId: 'acme' });
    await record(tenant, 'Invoice for Globex went out', { customerId: 'globex' });
    await record(tenant, 'Invoice numbering starts at 100', { customerId: 'globex' });
    const invoices = query([[0.9, 'invoice']]);
    expect(
      contents(await set.search(tenant, { ...invoices, customerId: 'acme' }, new Date())),
    ).toEqual(['Invoice for Acme is late']);
    expect(await set.search(tenant, { ...invoices, limit: 2 }, new Date())).toHaveLength(2);
    set.close();
  });

  it('holds at most `window` newest messages a user', async () => {
    const tenant = clientId();
    const set = new MessageWorkingSet({ store, words, window: 2 });
    for (const content of ['Garden shed needs paint', 'Garden hose leaks', 'Garden gate sticks']) {
      await record(tenant, content);
    }
    expect(contents(await set.search(tenant, query([[0.9, 'garden']]), new Date()))).toEqual([
      'Garden gate sticks',
      'Garden hose leaks',
    ]);
    await record(tenant, 'Garden bench arrived');
    expect(contents(await set.search(tenant, query([[0.9, 'garden']]), new Date()))).toEqual([
      'Garden bench arrived',
      'Garden gate sticks',
    ]);
    set.close();
  });

  it('leaves out a message whose memory was replaced, or has expired by the time asked', async () => {
    const tenant = clientId();
    const set = new MessageWorkingSet({ store, words });
    const oldAddress = await record(tenant, 'Rent for the Elm Street flat is $1,850');
    const lease = await record(tenant, 'Rent is discounted until the lease ends');
    await record(tenant, 'Rent goes to the new landlord now');
    const rent = query([[0.9, 'rent']]);
    expect(await set.search(tenant, rent, new Date())).toHaveLength(3);
    await store.insertMemories(tenant, [
      memory({ content: 'Rent is $1,850', subjectKey: 'rent', sourceMessageIds: [oldAddress] }),
    ]);
    await store.insertMemories(tenant, [
      memory({ content: 'Rent is $2,100', subjectKey: 'rent', sourceMessageIds: [] }),
      memory({
        content: 'Rent discounted',
        validUntil: daysFromNow(3),
        sourceMessageIds: [lease],
      }),
    ]);
    expect(contents(await set.search(tenant, rent, new Date()))).toEqual([
      'Rent goes to the new landlord now',
      'Rent is discounted until the lease ends',
    ]);
    // The discount's memory holds for three more days: from then on its message goes too.
    expect(contents(await set.search(tenant, rent, daysFromNow(4)))).toEqual([
      'Rent goes to the new landlord now',
    ]);
    set.close();
  });

  it('keeps no fill that raced a record', async () => {
    const tenant = clientId();
    await record(tenant, 'Parcel goes to the office');
    // Its read answers only after the record below has resolved.
    const slow = holdReads(store, ['listUserMessages']);
    const set = new MessageWorkingSet({ store: slow.store, words });
    const parcel = query([[0.9, 'parcel']]);
    const racing = set.search(tenant, parcel, new Date());
    await new Promise((resolve) => setImmediate(resolve));
    await record(tenant, 'Parcel goes to the new flat from now on');
    slow.release();
    expect(contents(await racing)).toEqual(['Parcel goes to the office']);
    expect(contents(await set.search(tenant, parcel, new Date()))).toContain(
      'Parcel goes to the new flat from now on',
    );
    set.close();
  });

  it('reads a user again after a transcript ingest, whose ids a write does not name', async () => {
    const tenant = clientId();
    const set = new MessageWorkingSet({ store, words });
    await record(tenant, 'Tennis on Saturdays');
    const tennis = query([[0.9, 'tennis']]);
    expect(await set.search(tenant, tennis, new Date())).toHaveLength(1);
    await store.ingestTranscript(tenant, {
      conversationId: crypto.randomUUID(),
      userId: 'alice',
      customerId: '',
      sessionId: 's',
      turns: [{ role: 'user', content: 'Tennis moved to Sundays', timestamp: null }],
      transcriptHash: 'hash-tennis',
      metadata: {},
    });
    expect(contents(await set.search(tenant, tennis, new Date()))).toEqual([
      'Tennis moved to Sundays',
      'Tennis on Saturdays',
    ]);
    set.close();
  });
});
