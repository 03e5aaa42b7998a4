import { randomUUID } from 'node:crypto';
import type { OutgoingEvent } from '../../../src/client/event-stream.js';
import type { ContextBundle, ContextItem } from '../../../src/protocol/context-bundle.js';
import type { Store } from '../../../src/store/store.js';
import { memory } from '../../support/memories.js';

/** `book_flight {destination: 'Lisbon'}` by the agent of `userId`, in a fresh conversation by default. */
export function toolCall(fields: { userId?: string; conversationId?: string } = {}): OutgoingEvent {
  return {
    eventType: 'tool_call',
    conversationId: fields.conversationId ?? randomUUID(),
    userId: fields.userId ?? 'alice',
    role: 'assistant',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon' },
    eventId: randomUUID(),
    timestampMs: Date.now(),
  };
}

/** The `POST /v1/events` body of a tool call sent by someone else (not through the stream under test). */
export function toolCallBody(event: OutgoingEvent): Record<string, unknown> {
  return {
    event_type: event.eventType,
    conversation_id: event.conversationId,
    user_id: event.userId,
    tool_name: event.toolName,
    tool_args: event.toolArgs,
    metadata: { event_id: event.eventId },
  };
}

export function itemsOf(bundle: ContextBundle): ContextItem[] {
  return Object.values(bundle.itemsByType).flat();
}

/** Alice and Bob of the default tenant both fly to Lisbon; so does the other tenant's Alice. */
export async function seedTravellers(store: Store, tenantId: string, otherId: string) {
  await store.insertMemories(tenantId, [
    memory({
      userId: 'alice',
      content: 'Alice prefers aisle seats on flights to Lisbon',
      memoryType: 'preferences',
    }),
    memory({ userId: 'alice', content: 'Alice books flights to Lisbon with hand luggage only' }),
    memory({
      userId: 'bob',
      content: 'Bob wants window seats on flights to Lisbon',
      memoryType: 'preferences',
    }),
  ]);
  await store.insertMemories(otherId, [
    memory({ userId: 'alice', content: 'Globex Alice flies business class to Lisbon' }),
  ]);
}
