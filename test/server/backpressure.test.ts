import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Anticipator } from '../../src/engine/anticipator.js';
import { MemoryAnticipator } from '../../src/engine/memory-anticipator.js';
import type { StreamEvent, SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { BundleHub } from '../../src/server/events/bundle-hub.js';
import { EventAdmission } from '../../src/server/events/event-admission.js';
import { EventProcessor } from '../../src/server/events/event-processor.js';
import { createHttpEventPath } from '../../src/server/events/http-event-path.js';
import { createGrpcServer, type GrpcServer } from '../../src/server/grpc/grpc-server.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, TEST_DATABASE_URL } from '../support/test-server.js';
import { addClient, conversationId, memory, newApiKeys, silentLogger } from './events/fixtures.js';
import { ListenProbe, synapClient } from './grpc/listen-probe.js';

let store: Store;
// PostgreSQL, not PGlite: PGlite runs its queries on this thread, so while it works the
// server cannot even read the next event, and nothing would ever queue up.
const schema = `backpressure_${process.pid}_${Date.now().toString(36)}`;
let apiKeys: ReturnType<typeof newApiKeys>;
let key: string;
let auth: Awaited<ReturnType<typeof addClient>>['auth'];
const servers: GrpcServer[] = [];
const clients: SynapServiceClient[] = [];
const probes: ListenProbe[] = [];

// No rate limit in the way: what is measured here is the engine falling behind.
const UNLIMITED = { eventsPerSecond: 1_000_000, burst: 1_000_000 };

async function start(options: {
  maxPendingEvents?: number;
  maxQueueDelayMs?: number;
  maxEventsInFlight?: number;
  maxStreams?: number;
  /** Each event takes at least this long in the engine: a queue that builds on any machine. */
  engineMs?: number;
}) {
  const metrics = new ServerMetrics({ defaultMetrics: false });
  const engine = new MemoryAnticipator({ store });
  const anticipator: Anticipator = options.engineMs
    ? {
        anticipate: async (clientId, event) => {
          await new Promise((resolve) => setTimeout(resolve, options.engineMs));
          return engine.anticipate(clientId, event);
        },
      }
    : engine;
  const processor = new EventProcessor({
    store,
    anticipator,
    hub: new BundleHub(),
    metrics,
    logger: silentLogger,
  });
  const server = createGrpcServer({
    apiKeys,
    processor,
    store,
    metrics,
    logger: silentLogger,
    limits: {
      ...UNLIMITED,
      ...(options.maxPendingEvents ? { maxPendingEvents: options.maxPendingEvents } : {}),
      ...(options.maxQueueDelayMs ? { maxQueueDelayMs: options.maxQueueDelayMs } : {}),
    },
    ...(options.maxEventsInFlight ? { maxEventsInFlight: options.maxEventsInFlight } : {}),
    ...(options.maxStreams ? { maxStreams: options.maxStreams } : {}),
  });
  const client = synapClient(await server.listen('127.0.0.1', 0));
  servers.push(server);
  clients.push(client);
  const open = () => {
    const probe = new ListenProbe(client, key);
    probes.push(probe);
    return probe;
  };
  return { metrics, open };
}

function toolCall(conversation: string, n: number): NonNullable<StreamEvent['payload']> {
  return {
    $case: 'conversationEvent',
    value: {
      eventType: 'tool_call',
      conversationId: conversation,
      userId: 'ana',
      role: 'assistant',
      content: '',
      customerId: '',
      sessionId: '',
      metadata: { event_id: `burst-${n}` },
      timestampMs: Date.now(),
      toolName: 'book_flight',
      toolArgsJson: JSON.stringify({ destination: 'Lisbon', passengers: 1, seat: 'aisle' }),
      searchQueries: [],
      contextTypes: [],
    },
  };
}

async function shedCount(metrics: ServerMetrics): Promise<number> {
  return (await metrics.eventsShed.get()).values[0]?.value ?? 0;
}

beforeAll(async () => {
  store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  apiKeys = newApiKeys(store);
  ({ key, auth } = await addClient(store, apiKeys, 'acme'));
  await store.insertMemories('acme', [
    memory({ userId: 'ana', content: 'Ana prefers aisle seats on flights to Lisbon' }),
  ]);
});

afterAll(async () => {
  for (const probe of probes) probe.call.cancel();
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.shutdown(1000)));
  await store.close();
  await dropSchema(schema);
});

/** Resolves once every one of `total` events is accounted for: answered with its bundle, or shed and counted. */
function settled(count: () => number, metrics: ServerMetrics, total: number): Promise<void> {
  return vi.waitFor(async () => expect(count() + (await shedCount(metrics))).toBe(total), {
    timeout: 30_000,
    interval: 20,
  });
}

describe('Listen back-pressure', () => {
  it('answers a burst of 200 events on one stream in full with the default bounds (one process, 50 turns at once)', async () => {
    // The queue-delay bound is lifted: what is pinned here is the stream's pending bound,
    // and a loaded machine must not turn slowness into shedding.
    const { metrics, open } = await start({ maxQueueDelayMs: 600_000 });
    const probe = open();
    const total = 200;
    for (let n = 0; n < total; n++) probe.send(toolCall(conversationId(), n));
    const bundles = () => probe.received.filter((p) => p.$case === 'contextBundle').length;
    await settled(bundles, metrics, total);
    expect(await shedCount(metrics)).toBe(0);
    expect(bundles()).toBe(total);
    expect(probe.signals().filter((s) => s.signalType === 'throttle')).toEqual([]);
  });

  it('sheds events past the stream bound with a throttle signal, answers the rest, and stays open', async () => {
    const { metrics, open } = await start({ maxPendingEvents: 4 });
    const probe = open();
    const conversation = conversationId();
    // Faster than any engine: 120 events written in one go.
    for (let n = 0; n < 120; n++) probe.send(toolCall(conversation, n));
    await probe.nextSignal('throttle').then((signal) => {
      expect(signal.metadata.cause).toBe('overloaded');
      expect(Number(signal.metadata.retry_after_ms)).toBeGreaterThan(0);
    });
    const bundles = () => probe.received.filter((p) => p.$case === 'contextBundle').length;
    await settled(bundles, metrics, 120);

    const shed = await shedCount(metrics);
    expect(shed).toBeGreaterThan(0);
    expect(bundles()).toBeGreaterThanOrEqual(4);
    // Every event is accounted for: answered with its bundle, or shed and counted.
    expect(bundles() + shed).toBe(120);
    // A throttle an episode, not one per dropped event.
    const throttles = probe.signals().filter((s) => s.signalType === 'throttle').length;
    expect(throttles).toBeGreaterThanOrEqual(1);
    expect(throttles).toBeLessThan(shed);

    // The stream is still usable: a ping is answered and the next event gets its bundle.
    probe.ping(42);
    expect((await probe.nextPong()).timestampMs).toBe(42);
    probe.send(toolCall(conversation, 1000));
    const next = await probe.nextBundle();
    expect(next.bundleId).toBeTruthy();
  });

  it('drops events that waited in the queue past maxQueueDelayMs, so latency stays bounded', async () => {
    const { metrics, open } = await start({ maxQueueDelayMs: 20, engineMs: 5 });
    const probe = open();
    const conversation = conversationId();
    for (let n = 0; n < 40; n++) probe.send(toolCall(conversation, n));
    const bundles = () => probe.received.filter((p) => p.$case === 'contextBundle').length;
    await probe.nextSignal('throttle');
    await settled(bundles, metrics, 40);
    const shed = await shedCount(metrics);
    // 40 events of at least 5 ms each cannot all start within 20 ms of arriving (a warm
    // engine alone answered all 40 in time on a fast machine).
    expect(shed).toBeGreaterThan(0);
    expect(bundles()).toBeGreaterThan(0);
    expect(bundles() + shed).toBe(40);
  });

  it('bounds the events in flight over all streams together', async () => {
    const { metrics, open } = await start({ maxEventsInFlight: 3 });
    const streams = [open(), open(), open()];
    for (const stream of streams) stream.ping(1);
    await Promise.all(streams.map((stream) => stream.nextPong()));
    const conversation = conversationId();
    // Each stream alone stays under its own bound (64); together they pass the server's.
    for (let n = 0; n < 20; n++)
      for (const stream of streams) stream.send(toolCall(conversation, n));
    const bundles = () =>
      streams.reduce(
        (sum, stream) => sum + stream.received.filter((p) => p.$case === 'contextBundle').length,
        0,
      );
    await settled(bundles, metrics, 60);
    const shed = await shedCount(metrics);
    expect(shed).toBeGreaterThan(0);
    expect(bundles() + shed).toBe(60);
    const throttled = streams.filter((stream) =>
      stream.signals().some((s) => s.signalType === 'throttle'),
    );
    expect(throttled.length).toBeGreaterThan(0);
  });

  it('refuses a stream past the open-stream bound RESOURCE_EXHAUSTED and keeps the others', async () => {
    const { open } = await start({ maxStreams: 2 });
    const first = open();
    const second = open();
    first.ping(1);
    second.ping(2);
    await Promise.all([first.nextPong(), second.nextPong()]);
    const third = open();
    const refused = await third.status;
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    first.ping(3);
    expect((await first.nextPong()).timestampMs).toBe(3);
  });

  it('answers POST /v1/events 429 past the shared bound instead of queueing', async () => {
    const metrics = new ServerMetrics({ defaultMetrics: false });
    const hub = new BundleHub();
    const processor = new EventProcessor({
      store,
      anticipator: new MemoryAnticipator({ store }),
      hub,
      metrics,
      logger: silentLogger,
    });
    const admission = new EventAdmission(2);
    const path = createHttpEventPath({ processor, store, hub, metrics, admission });
    const conversation = conversationId();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) =>
        path.postEvent(auth, {
          event_type: 'tool_call',
          conversation_id: conversation,
          user_id: 'ana',
          tool_name: 'book_flight',
          tool_args: { destination: 'Lisbon', n },
        }),
      ),
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as { code?: string }] : [],
    );
    expect(outcomes.length - refused.length).toBe(2);
    expect(refused.map((error) => error.code)).toEqual(Array(10).fill('rate_limited'));
    expect(admission.inFlight).toBe(0);
    // Once the engine caught up, the next event is taken.
    await expect(
      path.postEvent(auth, {
        event_type: 'user_message',
        conversation_id: conversation,
        user_id: 'ana',
        role: 'user',
        content: 'hi',
      }),
    ).resolves.toHaveProperty('event_id');
  });
});
