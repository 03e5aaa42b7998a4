import { credentials, Metadata } from '@grpc/grpc-js';
import {
  type StreamEvent,
  type StreamResponse,
  SynapServiceClient,
} from '../../src/gen/synap/v1/synap.js';
import { benchUserId } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

export interface LoadStreamsOptions {
  grpcTarget: string;
  key: string;
  streams: number;
  /** Events a second on each stream. */
  eventsPerSecond: number;
  /** Streams that share one HTTP/2 connection (an agent process with several sessions). */
  streamsPerConnection: number;
  /** Seeded users the events name, round-robin. */
  users: number;
}

/** What the streams saw. Latencies are send → bundle, in milliseconds. */
export interface LoadStreamsOutcome {
  sent: number;
  bundles: number;
  latenciesMs: number[];
  /** Events never answered within the settle time after the run. */
  unanswered: number;
  throttleSignals: number;
  errorSignals: number;
  /** Calls that ended with a non-OK status, or never opened. */
  streamFailures: number;
}

const TOOLS: { name: string; args: (random: SeededRandom) => Record<string, unknown> }[] = [
  {
    name: 'search_flights',
    args: (r) => ({
      origin: r.pick(['Porto', 'Berlin', 'Madrid', 'Paris']),
      destination: r.pick(['Lisbon', 'Tokyo', 'New York', 'Rome']),
      date: `2026-12-${String(r.integer(1, 28)).padStart(2, '0')}`,
      passengers: r.integer(1, 3),
      cabin: r.pick(['economy', 'business']),
    }),
  },
  {
    name: 'book_hotel',
    args: (r) => ({
      city: r.pick(['Lisbon', 'Tokyo', 'Rome']),
      nights: r.integer(1, 7),
      budget_eur: r.integer(80, 400),
      amenities: ['wifi', r.pick(['gym', 'pool', 'quiet room'])],
    }),
  },
  {
    name: 'query_orders',
    args: (r) => ({ status: r.pick(['open', 'shipped', 'returned']), limit: r.integer(5, 50) }),
  },
  {
    name: 'get_weather',
    args: (r) => ({ city: r.pick(['Lisbon', 'Oslo', 'Tokyo']), days: r.integer(1, 5) }),
  },
];

const USER_TURNS = [
  'Can you find me a flight to Lisbon next week? I like aisle seats.',
  'What did I say about my hotel budget last time?',
  'Please book something quiet, I work from the room in the mornings.',
  'Remind me which airline I usually fly with.',
  'I am vegetarian, keep that in mind for the dinner booking.',
];

/**
 * Opens `streams` Listen calls and, once all are open, sends `eventsPerSecond` events
 * on each (alternating `tool_call` with realistic arguments and `user_message`), spread
 * evenly over time, for `seconds`. Every event carries an id, so each bundle is matched
 * to the send time of the event it answers.
 */
export async function runLoadStreams(
  options: LoadStreamsOptions,
  seconds: number,
  onTick?: (elapsedSeconds: number) => void,
): Promise<LoadStreamsOutcome> {
  const outcome: LoadStreamsOutcome = {
    sent: 0,
    bundles: 0,
    latenciesMs: [],
    unanswered: 0,
    throttleSignals: 0,
    errorSignals: 0,
    streamFailures: 0,
  };
  const random = new SeededRandom(11);
  const clients: SynapServiceClient[] = [];
  const connections = Math.ceil(options.streams / options.streamsPerConnection);
  for (let c = 0; c < connections; c++) {
    // A local subchannel pool: without it grpc-js would put every client on one connection.
    clients.push(
      new SynapServiceClient(options.grpcTarget, credentials.createInsecure(), {
        'grpc.use_local_subchannel_pool': 1,
      }),
    );
  }
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${options.key}`);
  const pending: Map<string, number>[] = [];
  const calls = Array.from({ length: options.streams }, (_, index) => {
    const client = clients[Math.floor(index / options.streamsPerConnection)] as SynapServiceClient;
    const call = client.listen(metadata);
    const sentAt = new Map<string, number>();
    pending.push(sentAt);
    let failed = false;
    const opened = new Promise<void>((resolve) => {
      call.on('data', (response: StreamResponse) => {
        const payload = response.payload;
        if (payload?.$case === 'heartbeatPong') resolve();
        else if (payload?.$case === 'contextBundle') {
          const started = sentAt.get(payload.value.inReplyToEventId);
          if (started === undefined) return;
          sentAt.delete(payload.value.inReplyToEventId);
          outcome.bundles += 1;
          outcome.latenciesMs.push(performance.now() - started);
        } else if (payload?.$case === 'signal') {
          if (payload.value.signalType === 'throttle') outcome.throttleSignals += 1;
          if (payload.value.signalType === 'error') outcome.errorSignals += 1;
        }
      });
      call.on('error', () => {});
      call.on('status', (status) => {
        if (status.code !== 0 && !failed) {
          failed = true;
          outcome.streamFailures += 1;
        }
        resolve();
      });
    });
    call.write({ payload: { $case: 'heartbeatPing', value: { timestampMs: Date.now() } } });
    return { call, sentAt, opened, conversationId: crypto.randomUUID(), index, next: 0 };
  });
  await Promise.all(calls.map((call) => call.opened));

  const event = (stream: (typeof calls)[number]): NonNullable<StreamEvent['payload']> => {
    const n = stream.next++;
    const tool = n % 2 === 0 ? random.pick(TOOLS) : undefined;
    return {
      $case: 'conversationEvent',
      value: {
        eventType: tool ? 'tool_call' : 'user_message',
        conversationId: stream.conversationId,
        userId: benchUserId(stream.index % options.users),
        role: tool ? 'assistant' : 'user',
        content: tool ? '' : random.pick(USER_TURNS),
        customerId: '',
        sessionId: '',
        metadata: { event_id: `s${stream.index}-${n}` },
        timestampMs: Date.now(),
        toolName: tool?.name ?? '',
        toolArgsJson: tool ? JSON.stringify(tool.args(random)) : '',
        searchQueries: [],
        contextTypes: [],
      },
    };
  };

  // Ticks of 10 ms; each stream sends on its own slot, so the load is even over time.
  const tickMs = 10;
  const slots = Math.max(1, Math.round(1000 / options.eventsPerSecond / tickMs));
  const started = performance.now();
  let tick = 0;
  let lastReport = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Catch up on ticks a busy event loop skipped, so the offered rate holds.
      const due = Math.floor(elapsed / tickMs);
      for (; tick <= due; tick++) {
        for (const stream of calls) {
          if (stream.index % slots !== tick % slots) continue;
          stream.sentAt.set(`s${stream.index}-${stream.next}`, performance.now());
          stream.call.write({ payload: event(stream) });
          outcome.sent += 1;
        }
      }
      if (onTick && elapsed - lastReport >= 5000) {
        lastReport = elapsed;
        onTick(elapsed / 1000);
      }
    }, tickMs);
  });

  // Settle: give answers in flight up to 5 s, then count what never came.
  const settleUntil = performance.now() + 5000;
  while (performance.now() < settleUntil && pending.some((map) => map.size > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  outcome.unanswered = pending.reduce((sum, map) => sum + map.size, 0);
  for (const stream of calls) stream.call.end();
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const client of clients) client.close();
  return outcome;
}
