import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnticipationEvent } from '../../src/engine/anticipator.js';
import { MemoryAnticipator } from '../../src/engine/memory-anticipator.js';
import type { ContextBundle, ContextItem } from '../../src/protocol/context-bundle.js';
import type { Store } from '../../src/store/store.js';
import { conversationId, memory, openTestStore } from '../server/events/fixtures.js';
import { daysFromNow } from '../support/relative-dates.js';

let store: Store;
let close: () => Promise<void>;
const conversation = conversationId();
const othersConversation = conversationId();
// An upcoming event, dated from now so that it never falls into the past.
const conference = daysFromNow(10);

beforeAll(async () => {
  ({ store, close } = await openTestStore());
  for (const id of ['acme', 'globex']) await store.upsertClient({ id, name: id, mode: 'b2c' });
  await store.insertMemories('acme', [
    memory({
      userId: 'ana',
      content: 'Ana prefers aisle seats on flights to Lisbon',
      memoryType: 'preferences',
    }),
    memory({ userId: 'ana', content: 'Ana is allergic to peanuts' }),
    memory({
      userId: 'ana',
      content: 'Ana attends a conference in Lisbon',
      memoryType: 'temporal_events',
      eventDate: conference,
      temporalCategory: 'temporal_fact',
    }),
    memory({ userId: 'ana', content: 'Ana moved offices', subjectKey: 'office' }),
    memory({
      userId: 'ana',
      content: 'Ana now works from the Lisbon office',
      subjectKey: 'office',
    }),
    memory({
      userId: 'bob',
      content: 'Bob flies to Lisbon every month',
      memoryType: 'preferences',
    }),
  ]);
  await store.insertMemories('globex', [
    memory({ userId: 'ana', content: 'Globex Ana wants Lisbon flights in business class' }),
  ]);
  await store.recordMessages('acme', [
    turn(conversation, 'ana', 'user', 'I need to get to Lisbon next week'),
    turn(conversation, 'ana', 'assistant', 'Sure, let me look at flights'),
    turn(othersConversation, 'bob', 'user', 'Bob secret: Lisbon surprise party'),
  ]);
});

afterAll(async () => {
  await close();
});

function turn(conversationId: string, userId: string, role: 'user' | 'assistant', content: string) {
  return {
    conversationId,
    userId,
    customerId: '',
    sessionId: '',
    role,
    content,
    metadata: {},
    idempotencyKey: null,
  };
}

function toolCall(fields: Partial<AnticipationEvent> = {}): AnticipationEvent {
  return {
    eventId: 'evt-1',
    eventType: 'tool_call',
    conversationId: conversation,
    userId: 'ana',
    customerId: '',
    role: 'assistant',
    content: '',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon' },
    searchQueries: [],
    contextTypes: [],
    ...fields,
  };
}

function items(bundle: ContextBundle): ContextItem[] {
  return Object.values(bundle.itemsByType).flat();
}

describe('MemoryAnticipator, past the words', () => {
  const isoDay = (days: number) => daysFromNow(days).toISOString().slice(0, 10);

  beforeAll(async () => {
    await store.upsertClient({ id: 'initech', name: 'initech', mode: 'b2c' });
    await store.insertMemories('initech', [
      memory({
        userId: 'cy',
        content: 'New meds for the seizures, my neurologist says no driving for now',
        validUntil: daysFromNow(6),
      }),
      memory({ userId: 'cy', content: 'Plays the cello in a community orchestra' }),
      memory({ userId: 'cy', content: 'Keeps three chickens in the garden' }),
      memory({ userId: 'cy', content: 'Supports the local football club' }),
    ]);
  });

  it('serves what holds on a day the tool call is about, whatever words it shares', async () => {
    const anticipator = new MemoryAnticipator({ store });
    const labTest = (days: number) =>
      anticipator.anticipate(
        'initech',
        toolCall({
          userId: 'cy',
          conversationId: '',
          toolName: 'book_lab_test',
          toolArgs: { test: 'blood panel', lab: 'Eastgate', date: isoDay(days) },
        }),
      );
    const during = items(await labTest(1));
    expect(during[0]?.content).toContain('no driving');
    // Once the ban is over on that day, nothing ties it to the booking.
    const after = items(await labTest(10)).map((item) => item.content);
    expect(after.join('\n')).not.toContain('no driving');
  });

  it('keeps the best items of a user with memories when nothing clears the bar', async () => {
    const concert = toolCall({
      userId: 'cy',
      conversationId: '',
      toolName: 'find_tickets',
      toolArgs: { event: 'symphony concert' },
    });
    // A bar no item clears: the best ones stay, up to minItems, the unrelated do not.
    const kept = items(
      await new MemoryAnticipator({ store, minScore: 0.99 }).anticipate('initech', concert),
    );
    expect(kept.map((item) => item.content)).toContain('Plays the cello in a community orchestra');
    expect(kept.length).toBeLessThanOrEqual(2);
    const barred = items(
      await new MemoryAnticipator({ store, minItems: 0, minScore: 0.99 }).anticipate(
        'initech',
        concert,
      ),
    );
    expect(barred).toEqual([]);
  });
});

describe('MemoryAnticipator', () => {
  it('finds the user\u2019s own memories for a tool call, best first, and nobody else\u2019s', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate('acme', toolCall());
    const contents = items(bundle).map((item) => item.content);
    expect(contents).toContain('Ana prefers aisle seats on flights to Lisbon');
    expect(contents.join('\n')).not.toMatch(/Bob|Globex/);
    const best = [...items(bundle)].sort((a, b) => b.relevanceScore - a.relevanceScore)[0];
    expect(best?.content).toBe('Ana prefers aisle seats on flights to Lisbon');
    expect(bundle).toMatchObject({
      inReplyToEventId: 'evt-1',
      bundleType: 'anticipation',
      retrievalMode: 'fast',
      degradationLevel: 'none',
      anticipationUserId: 'ana',
      anticipationConversationId: conversation,
    });
    expect(bundle.searchQueries.slice(0, 2)).toEqual(['Lisbon', 'flight destination']);
    // The intent's expansion is searched too: what a flight booking needs.
    expect(bundle.searchQueries[2]).toContain('seat');
  });

  it('keeps every score within 0..1 and gives temporal events an event date', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate('acme', toolCall());
    for (const item of items(bundle)) {
      for (const score of [item.similarityScore, item.relevanceScore, item.confidence]) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
    expect(bundle.itemsByType.temporal_events?.[0]?.eventDate).toBe(conference.toISOString());
    expect(bundle.bundleConfidence).toBeGreaterThan(0);
    expect(bundle.bundleConfidence).toBeLessThanOrEqual(1);
  });

  it('serves only the latest memory of a subject', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate('acme', toolCall());
    const contents = items(bundle).map((item) => item.content);
    expect(contents).toContain('Ana now works from the Lisbon office');
    expect(contents).not.toContain('Ana moved offices');
  });

  it('restricts memory types to context_types and marks context requests reactive', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      toolCall({ eventType: 'context_request', contextTypes: ['preferences'] }),
    );
    const memoryItems = items(bundle).filter((item) => item.source === 'memories');
    expect(memoryItems.length).toBeGreaterThan(0);
    expect(memoryItems.every((item) => item.contextType === 'preferences')).toBe(true);
    expect(bundle.bundleType).toBe('reactive');
  });

  it('caps items to the token budget and says so', async () => {
    const bundle = await new MemoryAnticipator({ store, tokenBudget: 12 }).anticipate(
      'acme',
      toolCall(),
    );
    expect(bundle.totalTokens).toBeLessThanOrEqual(12);
    expect(bundle.tokenBudget).toBe(12);
    expect(bundle.budgetExceeded).toBe(true);
    expect(items(bundle).length).toBeGreaterThan(0);
  });

  it('puts recent turns and valid JSON state into the conversation context', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate('acme', toolCall());
    const context = bundle.conversationContext;
    expect(context?.recentTurns.map((turn) => turn.content)).toEqual([
      'I need to get to Lisbon next week',
      'Sure, let me look at flights',
    ]);
    expect(JSON.parse(context?.currentStateJson ?? '')).toMatchObject({
      active_tool: 'book_flight',
    });
    expect(context?.keyExtractionsJson).toBe('');
    // The turns already in recent_turns are not repeated as episodes.
    expect(items(bundle).some((item) => item.content.includes('next week'))).toBe(false);
  });

  it('serves past messages of the same user as episodes from messages', async () => {
    const bundle = await new MemoryAnticipator({ store, recentTurns: 0 }).anticipate(
      'acme',
      toolCall({ conversationId: conversationId() }),
    );
    const episodes = bundle.itemsByType.episodes?.filter((item) => item.source === 'messages');
    expect(episodes?.map((item) => item.content)).toContain(
      'user: I need to get to Lisbon next week',
    );
    expect(episodes?.every((item) => item.scope === 'user')).toBe(true);
    expect(items(bundle).some((item) => item.content.includes('surprise'))).toBe(false);
  });

  it('gives nothing of a conversation owned by another user', async () => {
    const bundle = await new MemoryAnticipator({ store }).anticipate(
      'acme',
      toolCall({ conversationId: othersConversation }),
    );
    expect(bundle.conversationContext?.recentTurns).toEqual([]);
    expect(JSON.stringify(bundle)).not.toMatch(/surprise|Bob/);
  });
});
