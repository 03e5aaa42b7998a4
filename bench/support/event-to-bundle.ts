import { randomUUID } from 'node:crypto';
import { credentials, Metadata } from '@grpc/grpc-js';
import { type StreamResponse, SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { type LatencySummary, summarize } from './latency-summary.js';
import { benchUserId } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';
import { StreamRoundTrips } from './stream-round-trips.js';

export interface EventToBundleOptions {
  grpcTarget: string;
  key: string;
  /** Seeded users 0 .. users-1; each event is for a random one of them. */
  users: number;
  /** The conversation the user's event belongs to (ingested earlier, so it has turns). */
  conversationOf: (userIndex: number) => string;
  warmup: number;
  count: number;
}

export interface EventToBundleOutcome {
  latency: LatencySummary;
  /**
   * The bundles' own `retrieval_time_ms` (the anticipator's share, whole ms as the
   * server rounds it): the rest of the latency is parsing, recording the event, saving
   * the bundle and transport.
   */
  retrieval: LatencySummary;
  /** Mean items per bundle: an empty bundle would be fast for the wrong reason. */
  meanItems: number;
}

/**
 * One Listen stream; a `tool_call` event (book_flight to Lisbon) at a time, timed from
 * the write until the context bundle whose `in_reply_to_event_id` names it arrives.
 */
export async function measureEventToBundle(
  options: EventToBundleOptions,
): Promise<EventToBundleOutcome> {
  const client = new SynapServiceClient(options.grpcTarget, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${options.key}`);
  const stream = new StreamRoundTrips(client.listen(metadata), (response) =>
    response.payload?.$case === 'contextBundle'
      ? response.payload.value.inReplyToEventId
      : undefined,
  );
  const random = new SeededRandom(13);
  const retrievals: number[] = [];
  let items = 0;
  const onReply = (reply: StreamResponse) => {
    if (reply.payload?.$case !== 'contextBundle') return;
    const bundle = reply.payload.value;
    retrievals.push(bundle.retrievalTimeMs);
    for (const list of Object.values(bundle.itemsByType)) items += list.items.length;
  };
  try {
    const latency = await stream.measure(
      options.warmup,
      options.count,
      () => {
        const user = random.integer(0, options.users - 1);
        const eventId = randomUUID();
        return {
          key: eventId,
          message: {
            payload: {
              $case: 'conversationEvent',
              value: {
                eventType: 'tool_call',
                conversationId: options.conversationOf(user),
                userId: benchUserId(user),
                role: 'assistant',
                content: '',
                customerId: '',
                sessionId: '',
                metadata: { event_id: eventId },
                timestampMs: Date.now(),
                toolName: 'book_flight',
                toolArgsJson: '{"destination":"Lisbon"}',
                searchQueries: [],
                contextTypes: [],
              },
            },
          },
        };
      },
      onReply,
    );
    return { latency, retrieval: summarize(retrievals), meanItems: items / options.count };
  } finally {
    await stream.close();
    client.close();
  }
}
