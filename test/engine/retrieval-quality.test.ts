import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnticipationEvent } from '../../src/engine/anticipator.js';
import { MemoryAnticipator } from '../../src/engine/memory-anticipator.js';
import type { ContextBundle } from '../../src/protocol/context-bundle.js';
import type { Store } from '../../src/store/store.js';
import { conversationId, memory, openTestStore } from '../server/events/fixtures.js';

// What the engine leaves out matters as much as what it finds: stale statements,
// repeats of a memory, other tenants, and items that matched one vague word.
let store: Store;
let close: () => Promise<void>;
const earlier = conversationId();
const current = conversationId();

function event(fields: Partial<AnticipationEvent>): AnticipationEvent {
  return {
    eventId: 'evt',
    eventType: 'tool_call',
    conversationId: current,
    userId: 'maya',
    customerId: 'acme-corp',
    role: 'assistant',
    content: '',
    toolName: '',
    toolArgs: null,
    searchQueries: [],
    contextTypes: [],
    ...fields,
  };
}

const contents = (bundle: ContextBundle) =>
  Object.values(bundle.itemsByType)
    .flat()
    .map((item) => item?.content ?? '');

beforeAll(async () => {
  ({ store, close } = await openTestStore());
  await store.upsertClient({ id: 'acme', name: 'acme', mode: 'b2b' });
  const [oldHome, newHome, vegetarian] = await store.recordMessages('acme', [
    turn('I live in Berlin, near the old airport.'),
    turn('Big news: I moved to Lisbon last month!'),
    turn('I am vegetarian, so no meat please.'),
  ]);
  await store.recordMessages('acme', [
    {
      conversationId: current,
      userId: 'maya',
      customerId: 'acme-corp',
      sessionId: '',
      role: 'user',
      content: 'Find me a flight home for the holidays',
      metadata: {},
      idempotencyKey: null,
    },
  ]);
  const source = (outcome: typeof oldHome) => (outcome?.ok ? [outcome.message.id] : []);
  await store.insertMemories('acme', [
    memory({
      userId: 'maya',
      customerId: 'acme-corp',
      content: 'Maya lives in Berlin',
      subjectKey: 'home_city',
      sourceMessageIds: source(oldHome),
    }),
    memory({
      userId: 'maya',
      customerId: 'acme-corp',
      content: 'Maya lives in Lisbon',
      subjectKey: 'home_city',
      sourceMessageIds: source(newHome),
    }),
    memory({
      userId: 'maya',
      customerId: 'acme-corp',
      memoryType: 'preferences',
      content: 'Maya is vegetarian',
      sourceMessageIds: source(vegetarian),
    }),
    // The same subject at two scopes: the user's own statement is narrower.
    memory({
      scope: 'customer',
      userId: '',
      customerId: 'acme-corp',
      memoryType: 'preferences',
      content: 'Acme books economy class for every flight',
      subjectKey: 'cabin_class',
    }),
    memory({
      userId: 'maya',
      customerId: 'acme-corp',
      memoryType: 'preferences',
      content: 'Maya flies business class on long flights',
      subjectKey: 'cabin_class',
    }),
    memory({
      userId: 'omar',
      customerId: 'acme-corp',
      memoryType: 'preferences',
      content: 'Omar always flies to Lisbon in a window seat',
    }),
  ]);
});

afterAll(async () => {
  await close();
});

function turn(content: string) {
  return {
    conversationId: earlier,
    userId: 'maya',
    customerId: 'acme-corp',
    sessionId: '',
    role: 'user' as const,
    content,
    metadata: {},
    idempotencyKey: null,
  };
}

describe('retrieval quality', () => {
  it('serves the current fact and no message that states the superseded one', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      event({ toolName: 'book_flight', toolArgs: { origin: 'Berlin', destination: 'Lisbon' } }),
    );
    const text = contents(bundle).join('\n');
    expect(text).toContain('Maya lives in Lisbon');
    expect(text).not.toContain('Maya lives in Berlin');
    expect(text).not.toContain('I live in Berlin');
  });

  it('does not repeat a message that a retrieved memory came from', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      event({ toolName: 'reserve_restaurant', toolArgs: { city: 'Lisbon' } }),
    );
    const text = contents(bundle);
    expect(text).toContain('Maya is vegetarian');
    expect(text.some((line) => line.includes('no meat please'))).toBe(false);
  });

  it('lets the narrower scope win on one subject', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      event({ toolName: 'book_flight', toolArgs: { cabin: 'class' } }),
    );
    const text = contents(bundle);
    expect(text).toContain('Maya flies business class on long flights');
    expect(text).not.toContain('Acme books economy class for every flight');
  });

  it('never serves another user of the same customer', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      event({ toolName: 'book_flight', toolArgs: { destination: 'Lisbon', seat: 'window' } }),
    );
    expect(contents(bundle).join('\n')).not.toContain('Omar');
  });

  it('leaves out items far below the best one', async () => {
    const probe = event({ toolName: 'book_flight', toolArgs: { destination: 'Lisbon' } });
    const all = await new MemoryAnticipator({ store, minRelativeScore: 0 }).anticipate(
      'acme',
      probe,
    );
    // minItems 0: no item is kept past the bar for the bundle's sake.
    const strict = await new MemoryAnticipator({
      store,
      minRelativeScore: 0.99,
      minItems: 0,
    }).anticipate('acme', probe);
    expect(contents(strict).length).toBeGreaterThan(0);
    expect(contents(strict).length).toBeLessThan(contents(all).length);
    const scores = Object.values(strict.itemsByType)
      .flat()
      .map((item) => item?.relevanceScore ?? 0);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(Math.max(...scores) * 0.99);
  });
});
