import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAnticipator } from '../../../src/engine/memory-anticipator.js';
import type {
  StreamEvent,
  SynapServiceClient,
  TelemetryAck,
} from '../../../src/gen/synap/v1/synap.js';
import { BundleHub } from '../../../src/server/events/bundle-hub.js';
import { EventProcessor } from '../../../src/server/events/event-processor.js';
import { createGrpcServer, type GrpcServer } from '../../../src/server/grpc/grpc-server.js';
import type { StreamLimits } from '../../../src/server/grpc/listen-stream.js';
import { ServerMetrics } from '../../../src/server/metrics.js';
import type { Store } from '../../../src/store/store.js';
import {
  addClient,
  conversationId,
  memory,
  newApiKeys,
  openTestStore,
  silentLogger,
} from '../events/fixtures.js';
import { ListenProbe, listenMetadata, synapClient } from './listen-probe.js';

let store: Store;
let closeStore: () => Promise<void>;
let metrics: ServerMetrics;
let processor: EventProcessor;
let client: SynapServiceClient;
let acmeKey: string;
let apiKeys: ReturnType<typeof newApiKeys>;
const probes: ListenProbe[] = [];
const servers: GrpcServer[] = [];
const clients: SynapServiceClient[] = [];

async function startServer(limits: StreamLimits = { eventsPerSecond: 1000, burst: 1000 }) {
  const started = createGrpcServer({
    apiKeys,
    processor,
    store,
    metrics,
    logger: silentLogger,
    limits,
  });
  const port = await started.listen('127.0.0.1', 0);
  const connected = synapClient(port);
  servers.push(started);
  clients.push(connected);
  return { server: started, client: connected };
}

function listen(on: SynapServiceClient, key: string | undefined): ListenProbe {
  const probe = new ListenProbe(on, key);
  probes.push(probe);
  return probe;
}

beforeAll(async () => {
  ({ store, close: closeStore } = await openTestStore());
  apiKeys = newApiKeys(store);
  acmeKey = (await addClient(store, apiKeys, 'acme')).key;
  await addClient(store, apiKeys, 'globex');
  await store.insertMemories('acme', [
    memory({
      userId: 'ana',
      content: 'Ana prefers aisle seats on flights to Lisbon',
      memoryType: 'preferences',
    }),
    memory({ userId: 'ana', content: 'Ana lives in Porto' }),
    memory({
      userId: 'bob',
      content: 'Bob wants window seats to Lisbon',
      memoryType: 'preferences',
    }),
  ]);
  await store.insertMemories('globex', [
    memory({ userId: 'ana', content: 'Globex Ana books Lisbon flights in business class' }),
  ]);
  metrics = new ServerMetrics({ defaultMetrics: false });
  processor = new EventProcessor({
    store,
    anticipator: new MemoryAnticipator({ store }),
    hub: new BundleHub(),
    metrics,
    logger: silentLogger,
  });
  ({ client } = await startServer());
});

afterAll(async () => {
  for (const probe of probes) probe.call.cancel();
  for (const open of clients) open.close();
  await Promise.all(servers.map((open) => open.shutdown(1_000)));
  await closeStore();
});

function toolCall(
  fields: { conversationId?: string; eventId?: string; eventType?: string } = {},
): NonNullable<StreamEvent['payload']> {
  return {
    $case: 'conversationEvent' as const,
    value: {
      eventType: fields.eventType ?? 'tool_call',
      conversationId: fields.conversationId ?? conversationId(),
      userId: 'ana',
      role: 'assistant',
      content: '',
      customerId: '',
      sessionId: '',
      metadata: fields.eventId ? { event_id: fields.eventId } : {},
      timestampMs: Date.now(),
      toolName: 'book_flight',
      toolArgsJson: '{"destination":"Lisbon"}',
      searchQueries: [],
      contextTypes: [],
    },
  };
}

describe('Listen', () => {
  it('ends a call with a wrong or missing key UNAUTHENTICATED', async () => {
    const wrong = listen(client, 'fsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    const missing = listen(client, undefined);
    expect((await wrong.status).code).toBe(status.UNAUTHENTICATED);
    expect((await missing.status).code).toBe(status.UNAUTHENTICATED);
  });

  it('answers every heartbeat ping with a pong echoing its timestamp', async () => {
    const probe = listen(client, acmeKey);
    probe.ping(1_763_900_000_123);
    probe.ping(42);
    expect((await probe.nextPong()).timestampMs).toBe(1_763_900_000_123);
    expect((await probe.nextPong()).timestampMs).toBe(42);
  });

  it('answers a tool call with a bundle of that user\u2019s memories only, in reply to its event', async () => {
    const probe = listen(client, acmeKey);
    const conversation = conversationId();
    probe.send(toolCall({ conversationId: conversation, eventId: 'evt-grpc-1' }));
    const bundle = await probe.nextBundle();
    expect(bundle.inReplyToEventId).toBe('evt-grpc-1');
    expect(bundle.anticipationUserId).toBe('ana');
    expect(bundle.anticipationConversationId).toBe(conversation);
    const contents = Object.values(bundle.itemsByType).flatMap((list) =>
      list.items.map((item) => item.content),
    );
    expect(contents).toContain('Ana prefers aisle seats on flights to Lisbon');
    expect(contents.join('\n')).not.toMatch(/Bob|Globex/);
    expect(
      Object.keys(bundle.itemsByType).every(
        (type) => type === 'preferences' || type === 'facts' || type === 'episodes',
      ),
    ).toBe(true);
    expect(() => JSON.parse(bundle.conversationContext?.currentStateJson ?? '')).not.toThrow();
  });

  it('answers a bad event with an error signal naming the field and keeps the stream open', async () => {
    const probe = listen(client, acmeKey);
    probe.send(toolCall({ conversationId: 'not-a-uuid', eventId: 'evt-bad' }));
    const signal = await probe.nextSignal('error');
    expect(signal.reason).toContain('conversation_id');
    expect(signal.metadata).toEqual({ field: 'conversation_id', code: 'invalid_input' });
    probe.ping(7);
    expect((await probe.nextPong()).timestampMs).toBe(7);
    probe.send(toolCall({ eventId: 'evt-good' }));
    expect((await probe.nextBundle()).inReplyToEventId).toBe('evt-good');
  });

  it('accepts unknown event types, session control and usage reports silently', async () => {
    const probe = listen(client, acmeKey);
    const conversation = conversationId();
    probe.send(toolCall({ conversationId: conversation, eventType: 'agent_thinking' }));
    probe.send(toolCall({ conversationId: conversation, eventType: 'mystery_event' }));
    probe.send({
      $case: 'sessionControl',
      value: {
        action: 'start',
        sessionId: 's-1',
        conversationId: conversation,
        userId: 'ana',
        customerId: '',
      },
    });
    probe.send({
      $case: 'contextUsed',
      value: {
        bundleId: 'b-1',
        conversationId: conversation,
        userId: 'ana',
        customerId: '',
        servedItemIds: ['m-1'],
        timestampMs: Date.now(),
        scope: 'user',
        sourceBundleIds: [],
      },
    });
    probe.send({
      $case: 'contextAssembled',
      value: {
        correlationId: 'c-1',
        conversationId: conversation,
        userId: 'ana',
        customerId: '',
        finalItemIds: [],
        finalTotalTokens: 10,
        compactionId: '',
        recentTurnCount: 2,
        compactionEndTimestamp: '',
        assemblySource: 'anticipation_cache',
        assemblyDurationMs: 1,
        cacheHit: true,
        timestampMs: Date.now(),
        sdkVersion: '0.4.0',
      },
    });
    // Events are handled in order: once this bundle is here, all of the above were.
    probe.send(toolCall({ conversationId: conversation, eventId: 'evt-after' }));
    expect((await probe.nextBundle()).inReplyToEventId).toBe('evt-after');
    expect(probe.signals()).toEqual([]);
    const counted = await metrics.streamEvents.get();
    const types = counted.values.map((value) => value.labels.event_type);
    expect(types).toEqual(
      expect.arrayContaining([
        'agent_thinking',
        'other',
        'session_start',
        'context_used',
        'context_assembled',
      ]),
    );
  });

  it('sends one throttle signal over the limit, then ends a client that keeps going', async () => {
    const tiny = await startServer({ eventsPerSecond: 0.5, burst: 2, refusalsBeforeDisconnect: 3 });
    const probe = listen(tiny.client, acmeKey);
    const conversation = conversationId();
    for (let i = 0; i < 4; i++)
      probe.send(toolCall({ conversationId: conversation, eventType: 'agent_thinking' }));
    const throttle = await probe.nextSignal('throttle');
    expect(Number(throttle.metadata.retry_after_ms)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++)
      probe.send(toolCall({ conversationId: conversation, eventType: 'agent_thinking' }));
    const ended = await probe.status;
    expect(ended.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(probe.signals().filter((signal) => signal.signalType === 'throttle')).toHaveLength(1);
  });

  it('tells every open stream closing on shutdown, then ends it', async () => {
    const own = await startServer();
    const first = listen(own.client, acmeKey);
    const second = listen(own.client, acmeKey);
    first.ping(1);
    second.ping(2);
    await Promise.all([first.nextPong(), second.nextPong()]);
    await own.server.shutdown(2_000);
    for (const probe of [first, second]) {
      expect((await probe.nextSignal('closing')).reason).toBeTruthy();
      expect((await probe.status).code).toBe(status.OK);
    }
  });

  it('counts open streams down when clients leave', async () => {
    const probe = listen(client, acmeKey);
    probe.ping(1);
    await probe.nextPong();
    const before = (await metrics.streamsOpen.get()).values[0]?.value ?? 0;
    probe.call.cancel();
    await probe.status;
    await expect
      .poll(async () => (await metrics.streamsOpen.get()).values[0]?.value)
      .toBe(before - 1);
  });
});

describe('IngestTelemetry', () => {
  function ingest(key: string | undefined, count: number): Promise<TelemetryAck> {
    return new Promise((resolve, reject) => {
      const call = client.ingestTelemetry(listenMetadata(key), (error, ack) =>
        error ? reject(error) : resolve(ack),
      );
      for (let i = 0; i < count; i++) {
        call.write({
          eventType: 'fetch',
          instanceId: 'inst_0123456789abcdef',
          clientId: '',
          correlationId: `c-${i}`,
          timestampMs: Date.now(),
          latencyMs: 12,
          status: 'success',
          errorCode: '',
          scope: 'user',
          cacheStatus: 'hit',
          attempt: 1,
          httpMethod: '',
          httpPath: '',
          httpStatusCode: 0,
          metadata: {},
          sdkVersion: '0.4.0',
          batchId: 'batch-1',
        });
      }
      call.end();
    });
  }

  it('stores the events and acknowledges how many it received', async () => {
    expect(await ingest(acmeKey, 3)).toEqual({ status: 'accepted', eventsReceived: 3 });
    expect(await ingest(acmeKey, 0)).toEqual({ status: 'accepted', eventsReceived: 0 });
  });

  it('refuses a wrong key UNAUTHENTICATED', async () => {
    await expect(ingest('not-a-key', 2)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });
});
