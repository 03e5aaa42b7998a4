import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/server/inspector/conversation-timeline.js';
import type {
  BundleRecord,
  ConversationPage,
  InspectedEvent,
  MessageRecord,
} from '../../../src/store/index.js';

const start = new Date();
const at = (ms: number) => new Date(start.getTime() + ms);
const conversationId = '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function event(id: string, eventType: string, ms: number, extra: Partial<InspectedEvent> = {}) {
  return {
    id,
    eventType,
    role: eventType === 'user_message' ? 'user' : '',
    content: '',
    toolName: eventType.startsWith('tool') ? 'book_flight' : '',
    toolArgs: null,
    metadata: {},
    occurredAt: at(ms),
    ...extra,
  } satisfies InspectedEvent;
}

/** A stored bundle answering `eventId`, built at `builtMs` and stored later (as rows are). */
function bundle(id: string, eventId: string, builtMs: number, content: string): BundleRecord {
  return {
    id,
    clientId: 'default',
    conversationId,
    userId: 'alice',
    customerId: '',
    inReplyToEventId: eventId,
    bundleType: 'anticipation',
    payload: {
      created_at: at(builtMs).toISOString(),
      total_tokens: 7,
      items_by_type: {
        preferences: [
          { content, relevance_score: 0.5, similarity_score: 0.25, confidence: 0.9, scope: 'user' },
        ],
      },
    },
    retrievalMs: 3,
    seq: 1,
    createdAt: at(builtMs + 50),
  };
}

function turn(role: 'user' | 'assistant', content: string, ms: number): MessageRecord {
  return {
    id: `m-${ms}`,
    clientId: 'default',
    seq: ms,
    conversationId,
    userId: 'alice',
    customerId: '',
    sessionId: '',
    role,
    content,
    metadata: {},
    idempotencyKey: null,
    recordedAt: at(ms),
  };
}

describe('buildTimeline', () => {
  // A tool loop: user turn → call 1 → tool_call → (tool runs) → call 2 reads, sends
  // tool_result → assistant turn recorded.
  const page: ConversationPage = {
    events: [
      event('e-user', 'user_message', 0, { content: 'Book Lisbon' }),
      event('e-call', 'tool_call', 30, { toolArgs: { destination: 'Lisbon' } }),
      event('e-result', 'tool_result', 60),
    ],
    bundles: [
      bundle('b-user', 'e-user', 10, 'aisle seat'),
      bundle('b-call', 'e-call', 70, 'late one'),
    ],
    messages: [turn('user', 'Book Lisbon', 5), turn('assistant', 'Booked.', 90)],
    next: undefined,
  };

  it('finds two model calls, each with the newest bundle built before it read its context', () => {
    const calls = buildTimeline(page).filter((entry) => entry.kind === 'model-call');
    expect(calls).toHaveLength(2);
    // Call 1 read at the latest when its tool call came out (30): the user turn's bundle.
    expect(calls[0]?.kind === 'model-call' && calls[0].call.injected?.record.id).toBe('b-user');
    // Call 2 read when it sent the tool result (60); the tool call's bundle came at 70.
    expect(calls[1]?.kind === 'model-call' && calls[1].call.injected?.record.id).toBe('b-user');
  });

  it("says whether each event's bundle beat the next model call, timed by the bundle's own clock", () => {
    const events = buildTimeline(page).flatMap((entry) => (entry.kind === 'event' ? [entry] : []));
    const byId = Object.fromEntries(events.map((entry) => [entry.event.id, entry]));
    expect(byId['e-user']).toMatchObject({ beforeNextCall: true, latencyMs: 10 });
    expect(byId['e-call']).toMatchObject({ beforeNextCall: false, latencyMs: 40 });
    expect(byId['e-call']?.bundle?.summary?.itemsByType.preferences?.[0]).toMatchObject({
      content: 'late one',
      relevanceScore: 0.5,
    });
    expect(byId['e-result']).toMatchObject({ bundle: undefined, beforeNextCall: undefined });
  });

  it('shows a turn an event already shows once, in time order, each model call before its output', () => {
    const kinds = buildTimeline(page).map((entry) =>
      entry.kind === 'event' ? entry.event.eventType : entry.kind,
    );
    expect(kinds).toEqual([
      'user_message',
      'model-call',
      'tool_call',
      'tool_result',
      'model-call',
      'turn',
    ]);
  });
});
