import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MemorySearch } from '../../../src/store/records.js';
import { daysFromNow } from '../../support/relative-dates.js';
import { clientId, newMemory } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function search(overrides: Partial<MemorySearch> = {}): MemorySearch {
  return {
    userId: 'user-1',
    customerId: '',
    conversationId: null,
    query: '',
    types: [],
    limit: 20,
    ...overrides,
  };
}

const NOISE_TOPICS = [
  'weather',
  'football',
  'cooking',
  'music',
  'gardening',
  'taxes',
  'movies',
  'cars',
];

export function memoryBehaviours(context: SuiteContext): void {
  describe('memories', () => {
    it('supersedes by subject key: search serves only the latest, history keeps both', async () => {
      const store = context.store();
      const tenant = clientId();
      const preference = {
        memoryType: 'preferences' as const,
        subjectKey: 'drink',
        category: 'food',
        strength: 0.8,
      };
      const [old] = await store.insertMemories(tenant, [
        newMemory({ ...preference, content: 'Prefers tea in the morning' }),
      ]);
      // Same subject in another scope owner: untouched by the supersession.
      await store.insertMemories(tenant, [
        newMemory({ ...preference, userId: 'user-2', content: 'Prefers tea always' }),
      ]);
      const [latest] = await store.insertMemories(tenant, [
        newMemory({ ...preference, content: 'Prefers coffee in the morning' }),
      ]);

      const hits = await store.searchMemories(
        tenant,
        search({ query: 'morning drink tea or coffee' }),
      );
      expect(hits.map((hit) => hit.memory.content)).toEqual(['Prefers coffee in the morning']);
      expect(hits[0]?.memory).toMatchObject({
        category: 'food',
        strength: 0.8,
        supersededBy: null,
      });

      const history = await store.listMemories(tenant, {
        userId: 'user-1',
        includeSuperseded: true,
      });
      expect(history.map((memory) => memory.id)).toEqual([latest?.id, old?.id]);
      expect(history[1]?.supersededBy).toBe(latest?.id);
      expect(history[1]?.validUntil).toBeInstanceOf(Date);
      expect(
        (await store.listMemories(tenant, { userId: 'user-1' })).map((memory) => memory.id),
      ).toEqual([latest?.id]);
      expect(await store.listMemories(tenant, { userId: 'user-2' })).toHaveLength(1);
    });

    it('supersedes the ids a memory names, of its own owner only', async () => {
      const store = context.store();
      const tenant = clientId();
      const [mine, theirs] = await store.insertMemories(tenant, [
        newMemory({ content: 'Banks with Northbank' }),
        newMemory({ content: 'Banks with Northbank too', userId: 'user-2' }),
      ]);
      const [next] = await store.insertMemories(tenant, [
        newMemory({
          content: 'Moved my savings to Eastbank',
          supersedes: [mine?.id ?? '', theirs?.id ?? '', 'not-a-uuid'],
        }),
      ]);
      const history = await store.listMemories(tenant, {
        userId: 'user-1',
        includeSuperseded: true,
      });
      expect(history.find((memory) => memory.id === mine?.id)?.supersededBy).toBe(next?.id);
      expect((await store.listMemories(tenant, { userId: 'user-2' })).map((m) => m.id)).toEqual([
        theirs?.id,
      ]);
    });

    it('supersedes within one batch, latest last', async () => {
      const store = context.store();
      const tenant = clientId();
      const inserted = await store.insertMemories(tenant, [
        newMemory({ subjectKey: 'home', content: 'Lives in Lisbon' }),
        newMemory({ subjectKey: 'home', content: 'Lives in Porto' }),
      ]);
      const current = await store.searchMemories(tenant, search());
      expect(current.map((hit) => hit.memory.id)).toEqual([inserted[1]?.id]);
    });

    it('keeps one current memory when writers of one subject race', async () => {
      const store = context.store();
      const tenant = clientId();
      const cities = ['Lisbon', 'Porto', 'Braga', 'Faro', 'Evora'];
      await Promise.all(
        cities.map((city) =>
          store.insertMemories(tenant, [
            newMemory({ subjectKey: 'home', content: `Lives in ${city}` }),
          ]),
        ),
      );
      const history = await store.listMemories(tenant, {
        userId: 'user-1',
        includeSuperseded: true,
      });
      expect(history).toHaveLength(cities.length);
      expect(history.filter((memory) => memory.supersededBy === null)).toHaveLength(1);
      expect(await store.searchMemories(tenant, search())).toHaveLength(1);
    });

    it('does not serve expired memories', async () => {
      const store = context.store();
      const tenant = clientId();
      await store.insertMemories(tenant, [
        newMemory({ content: 'Is travelling in Japan', validUntil: new Date(Date.now() - 60_000) }),
        newMemory({
          content: 'Is learning Japanese',
          validUntil: new Date(Date.now() + 3_600_000),
        }),
      ]);
      for (const query of ['japan japanese', '']) {
        const hits = await store.searchMemories(tenant, search({ query }));
        expect(hits.map((hit) => hit.memory.content)).toEqual(['Is learning Japanese']);
      }
    });

    it('ranks the relevant memory first among noise, matching any word of a question', async () => {
      const store = context.store();
      const tenant = clientId();
      const noise = Array.from({ length: 40 }, (_, index) =>
        newMemory({
          content: `The user talked about ${NOISE_TOPICS[index % NOISE_TOPICS.length]} on day ${index}`,
        }),
      );
      await store.insertMemories(tenant, [
        ...noise.slice(0, 20),
        newMemory({ content: 'The user is severely allergic to peanuts' }),
        newMemory({ content: 'The user ate peanuts at a football game' }),
        ...noise.slice(20),
      ]);
      const hits = await store.searchMemories(
        tenant,
        search({ query: 'Which foods is the user allergic to? peanuts maybe', limit: 5 }),
      );
      expect(hits[0]?.memory.content).toBe('The user is severely allergic to peanuts');
      expect(hits[0]?.textRank).toBeGreaterThan(hits[1]?.textRank ?? 0);
      // Operators and quotes in the question are text, not tsquery syntax.
      await expect(
        store.searchMemories(tenant, search({ query: "peanut's & | ! ( ) : * <-> \\" })),
      ).resolves.toBeDefined();
      // A query no memory shares a word with (only stop words, or a generic request)
      // answers the most recent rather than nothing, unranked.
      for (const query of ['the and of', 'facts and preferences about them']) {
        const recent = await store.searchMemories(tenant, search({ query }));
        expect(recent, query).toHaveLength(20);
        expect(recent.every((hit) => hit.textRank === 0)).toBe(true);
      }
      // No word left means no query: the most recent, up to the limit.
      expect(await store.searchMemories(tenant, search({ query: '&|!' }))).toHaveLength(20);
    });

    it('shows each owner its scopes: conversation, user, customer and client', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const upcoming = daysFromNow(30);
      await store.insertMemories(tenant, [
        newMemory({ scope: 'conversation', conversationId, content: 'visible conversation note' }),
        newMemory({
          scope: 'conversation',
          conversationId: randomUUID(),
          content: 'hidden other conversation',
        }),
        newMemory({ scope: 'user', customerId: 'acme', content: 'visible user note' }),
        newMemory({
          scope: 'user',
          userId: 'user-2',
          customerId: 'acme',
          content: 'hidden other user',
        }),
        newMemory({
          scope: 'customer',
          userId: '',
          customerId: 'acme',
          content: 'visible customer note',
        }),
        newMemory({
          scope: 'customer',
          userId: '',
          customerId: 'globex',
          content: 'hidden other customer',
        }),
        newMemory({ scope: 'client', userId: '', content: 'visible client note' }),
        newMemory({
          scope: 'user',
          customerId: 'acme',
          memoryType: 'temporal_events',
          eventDate: upcoming,
          temporalCategory: 'temporal_fact',
          content: 'visible user event',
        }),
      ]);
      const owner = { userId: 'user-1', customerId: 'acme', conversationId };
      const hits = await store.searchMemories(
        tenant,
        search({ ...owner, query: 'note event hidden visible' }),
      );
      expect(hits.map((hit) => hit.memory.content).sort()).toEqual([
        'visible client note',
        'visible conversation note',
        'visible customer note',
        'visible user event',
        'visible user note',
      ]);
      const events = await store.searchMemories(
        tenant,
        search({ ...owner, types: ['temporal_events'] }),
      );
      expect(events.map((hit) => hit.memory.eventDate?.toISOString())).toEqual([
        upcoming.toISOString(),
      ]);
    });
  });
}
