import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryWorkingSet, type WorkingScope } from '../../src/engine/memory-working-set.js';
import { SemanticSimilarity } from '../../src/engine/semantic/semantic-similarity.js';
import type { Store } from '../../src/store/store.js';
import { clientId } from '../store/fixtures.js';
import { pgliteBackend } from '../store/store-backends.js';
import { holdReads } from '../support/held-reads.js';
import { memory } from '../support/memories.js';
import { daysFromNow } from '../support/relative-dates.js';

const backend = pgliteBackend();
let store: Store;
const semantic = new SemanticSimilarity();
const words = (text: string) => semantic.textWords(text);
const alice: WorkingScope = { userId: 'alice', customerId: '', conversationId: null, types: [] };
const contents = (held: { memory: { content: string } }[]) =>
  held.map((entry) => entry.memory.content).sort();

beforeAll(async () => {
  store = await backend.open();
});

afterAll(async () => {
  await store.close();
  await backend.destroy();
});

describe('MemoryWorkingSet', () => {
  it('serves from memory once filled, and sees a write as soon as it resolves', async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store, words });
    await store.insertMemories(tenant, [memory({ content: 'Keeps bees' })]);
    expect(contents(await set.visible(tenant, alice, new Date()))).toEqual(['Keeps bees']);
    expect(contents(await set.visible(tenant, alice, new Date()))).toEqual(['Keeps bees']);
    // Two owners a call (alice, the client): read once, then served from memory.
    expect(set.stats()).toMatchObject({ misses: 2, hits: 2 });
    await store.insertMemories(tenant, [memory({ content: 'Allergic to stings' })]);
    expect(contents(await set.visible(tenant, alice, new Date()))).toEqual([
      'Allergic to stings',
      'Keeps bees',
    ]);
    // Compiled once, with the words ranking reads.
    const [held] = await set.visible(tenant, alice, new Date());
    expect(held?.words.stems.length).toBeGreaterThan(0);
    set.close();
  });

  it('keeps no fill that raced a write', async () => {
    const tenant = clientId();
    await store.insertMemories(tenant, [memory({ content: 'Old address' })]);
    // Its read answers only after the write below has resolved.
    const slow = holdReads(store, ['listOwnedMemories']);
    const set = new MemoryWorkingSet({ store: slow.store, words });
    const racing = set.visible(tenant, alice, new Date());
    await new Promise((resolve) => setImmediate(resolve));
    await store.insertMemories(tenant, [memory({ content: 'New address' })]);
    slow.release();
    // The racing read answers what it read; the next one reads again.
    expect(contents(await racing)).not.toContain('New address');
    expect(contents(await set.visible(tenant, alice, new Date()))).toContain('New address');
    set.close();
  });

  it('judges validity at the time asked, without a write', async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store, words });
    await store.insertMemories(tenant, [
      memory({ content: 'On leave this week', validUntil: daysFromNow(2) }),
      memory({ content: 'Vegetarian' }),
    ]);
    expect(contents(await set.visible(tenant, alice, new Date()))).toEqual([
      'On leave this week',
      'Vegetarian',
    ]);
    expect(contents(await set.visible(tenant, alice, daysFromNow(3)))).toEqual(['Vegetarian']);
    set.close();
  });

  it('keeps scopes apart: conversation, user, customer, client, types', async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store, words });
    await store.insertMemories(tenant, [
      memory({
        content: 'Only in chat one',
        scope: 'conversation',
        conversationId: '00000000-0000-4000-8000-000000000001',
      }),
      memory({ content: 'Bob owns this', userId: 'bob' }),
      memory({ content: 'Alice at acme', customerId: 'acme' }),
      memory({ content: 'Acme rule', scope: 'customer', customerId: 'acme', userId: '' }),
      memory({ content: 'Client rule', scope: 'client', userId: '' }),
      memory({ content: 'Likes tea', memoryType: 'preferences', category: 'food' }),
    ]);
    // No customer named (B2C): all of alice's own memories, whatever customer they carry.
    expect(contents(await set.visible(tenant, alice, new Date()))).toEqual([
      'Alice at acme',
      'Client rule',
      'Likes tea',
    ]);
    expect(
      contents(
        await set.visible(
          tenant,
          { ...alice, conversationId: '00000000-0000-4000-8000-000000000001' },
          new Date(),
        ),
      ),
    ).toEqual(['Alice at acme', 'Client rule', 'Likes tea', 'Only in chat one']);
    // Within customer acme: acme's shared memories and alice's there, nothing of hers elsewhere.
    expect(
      contents(
        await set.visible(
          tenant,
          { ...alice, customerId: 'acme', conversationId: '00000000-0000-4000-8000-000000000001' },
          new Date(),
        ),
      ),
    ).toEqual(['Acme rule', 'Alice at acme', 'Client rule']);
    expect(
      contents(await set.visible(tenant, { ...alice, types: ['preferences'] }, new Date())),
    ).toEqual(['Likes tea']);
    expect(contents(await set.visible(tenant, { ...alice, userId: 'carol' }, new Date()))).toEqual([
      'Client rule',
    ]);
    expect(contents(await set.visible(clientId(), alice, new Date()))).toEqual([]);
    set.close();
  });

  it('stays within its byte bound, dropping the least recently used owners', async () => {
    const tenant = clientId();
    const set = new MemoryWorkingSet({ store, words, maxBytes: 2500 });
    for (const userId of ['u1', 'u2', 'u3', 'u4']) {
      await store.insertMemories(tenant, [memory({ userId, content: `A fact about ${userId}` })]);
      await set.visible(tenant, { ...alice, userId }, new Date());
    }
    expect(set.stats().bytes).toBeLessThanOrEqual(2500);
    expect(set.stats().owners).toBeLessThan(5);
    set.close();
  });
});
