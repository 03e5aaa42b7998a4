import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, ClientClosedError } from '../../../src/client/errors.js';
import type { EventStream, OutgoingEvent } from '../../../src/client/event-stream.js';
import {
  GrpcEventStream,
  type GrpcEventStreamOptions,
} from '../../../src/client/grpc-event-stream.js';
import {
  HttpEventStream,
  type HttpEventStreamOptions,
} from '../../../src/client/http-event-stream.js';
import { MemoryAnticipator } from '../../../src/engine/memory-anticipator.js';
import { BundleHub } from '../../../src/server/events/bundle-hub.js';
import { EventProcessor } from '../../../src/server/events/event-processor.js';
import { createGrpcServer } from '../../../src/server/grpc/grpc-server.js';
import { call, startTestServer, type TestServer } from '../../support/test-server.js';
import { itemsOf, seedTravellers, toolCall, toolCallBody } from './stream-fixtures.js';
import { recordingLogger, StreamRecorder } from './stream-recorder.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * Both transports against one real server (starting one costs seconds): the shared
 * table first, then what only one transport has.
 */
let t: TestServer;
/** Streams reach the server through proxies, so that a test can cut their connections. */
let proxy: TcpProxy;
let restProxy: TcpProxy;
const streams: EventStream[] = [];
const cleanups: (() => Promise<void>)[] = [];
const backoff = { initialMs: 20, maxMs: 100 };

beforeAll(async () => {
  t = await startTestServer('pglite');
  proxy = await TcpProxy.start(t.server.grpcTarget);
  restProxy = await TcpProxy.start(new URL(t.server.restUrl).host);
  await seedTravellers(t.server.store, t.tenant.clientId, t.other.clientId);
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

afterAll(async () => {
  // An aborted fetch leaves Node's undici holding a fresh connection that never sends a
  // request, and the server's REST close() waits for such a connection until its
  // headers timeout: resetting the relayed connections keeps shutdown prompt.
  await restProxy?.close();
  await proxy?.close();
  await t?.close();
});

function grpcStream(options: Partial<GrpcEventStreamOptions> = {}): GrpcEventStream {
  const stream = new GrpcEventStream({
    target: proxy.target,
    apiKey: t.tenant.key,
    backoff,
    logger: recordingLogger(),
    ...options,
  });
  streams.push(stream);
  return stream;
}

function httpStream(options: Partial<HttpEventStreamOptions> = {}): HttpEventStream {
  const stream = new HttpEventStream({
    baseUrl: `http://${restProxy.target}`,
    apiKey: t.tenant.key,
    waitMs: 500,
    backoff,
    logger: recordingLogger(),
    ...options,
  });
  streams.push(stream);
  return stream;
}

/** An event posted by someone else, not through the stream under test. */
async function postElsewhere(event: OutgoingEvent): Promise<void> {
  const answer = await call(t.server.restUrl, 'POST', '/v1/events', {
    key: t.tenant.key,
    body: toolCallBody(event),
  });
  expect(answer.status).toBe(200);
}

interface Transport {
  create(apiKey?: string): EventStream;
  /** Cuts the transport's connections, so the next call must authenticate again. */
  interrupt(): void;
}

const transports: [string, Transport][] = [
  [
    'grpc',
    { create: (apiKey) => grpcStream(apiKey ? { apiKey } : {}), interrupt: () => proxy.reset() },
  ],
  // Every HTTP request authenticates anyway.
  [
    'http',
    { create: (apiKey) => httpStream(apiKey ? { apiKey } : {}), interrupt: () => undefined },
  ],
];

describe.each(transports)('%s event stream', (_name, { create, interrupt }) => {
  it("answers a tool_call with a bundle in reply to it, from that user's memories only", async () => {
    const recorder = new StreamRecorder();
    const stream = create();
    await stream.open(recorder);
    expect(recorder.statuses).toEqual(['connecting', 'connected']);

    const event = toolCall({ userId: 'alice' });
    await stream.send(event);
    const bundle = await recorder.bundleFor(event.eventId);

    expect(bundle.anticipationConversationId).toBe(event.conversationId);
    expect(bundle.anticipationUserId).toBe('alice');
    const contents = itemsOf(bundle).map((item) => item.content);
    expect(contents).toContain('Alice prefers aisle seats on flights to Lisbon');
    expect(contents.join('\n')).not.toMatch(/Bob|Globex/);
  });

  it('keeps two conversations apart', async () => {
    const [aliceSide, bobSide] = [new StreamRecorder(), new StreamRecorder()];
    const [aliceStream, bobStream] = [create(), create()];
    await Promise.all([aliceStream.open(aliceSide), bobStream.open(bobSide)]);
    const [aliceEvent, bobEvent] = [toolCall({ userId: 'alice' }), toolCall({ userId: 'bob' })];

    await Promise.all([aliceStream.send(aliceEvent), bobStream.send(bobEvent)]);
    const [aliceBundle, bobBundle] = await Promise.all([
      aliceSide.bundleFor(aliceEvent.eventId),
      bobSide.bundleFor(bobEvent.eventId),
    ]);
    // A barrier on each stream: a bundle pushed to the wrong one would have been on its
    // way before the barrier's own bundle was even built.
    const [aliceBarrier, bobBarrier] = [
      { ...toolCall({ userId: 'alice' }), conversationId: aliceEvent.conversationId },
      { ...toolCall({ userId: 'bob' }), conversationId: bobEvent.conversationId },
    ];
    await Promise.all([aliceStream.send(aliceBarrier), bobStream.send(bobBarrier)]);
    const [aliceLast, bobLast] = await Promise.all([
      aliceSide.bundleFor(aliceBarrier.eventId),
      bobSide.bundleFor(bobBarrier.eventId),
    ]);

    expect(aliceSide.bundles).toEqual([aliceBundle, aliceLast]);
    expect(bobSide.bundles).toEqual([bobBundle, bobLast]);
    expect(aliceBundle.anticipationConversationId).toBe(aliceEvent.conversationId);
    expect(bobBundle.anticipationConversationId).toBe(bobEvent.conversationId);
    expect(
      itemsOf(aliceBundle)
        .map((item) => item.content)
        .join('\n'),
    ).not.toMatch(/Bob/);
    expect(
      itemsOf(bobBundle)
        .map((item) => item.content)
        .join('\n'),
    ).not.toMatch(/Alice/);
  });

  it('refuses a wrong key: open() rejects with AuthenticationError and nothing retries', async () => {
    const recorder = new StreamRecorder();
    const stream = create(`fsk_${'a'.repeat(12)}_${'x'.repeat(32)}`);

    await expect(stream.open(recorder)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(stream.send(toolCall())).rejects.toBeInstanceOf(AuthenticationError);
    // A retry would come after a backoff wait (20 to 100 ms here): a second, valid stream
    // opened and answered takes longer than that, so a retry would show by then.
    const witness = new StreamRecorder();
    const valid = create();
    await valid.open(witness);
    const event = toolCall();
    await valid.send(event);
    await witness.bundleFor(event.eventId);

    expect(recorder.statuses).toEqual(['connecting', 'closed']);
    // Told once, through open(): not a second time through the handler.
    expect(recorder.fatals).toEqual([]);
  });

  it('stops with a fatal AuthenticationError when its key is revoked while listening', async () => {
    const { key, record } = await t.server.apiKeys.create({
      clientId: t.tenant.clientId,
      name: `revoked-${randomUUID()}`,
    });
    const recorder = new StreamRecorder();
    const stream = create(key);
    await stream.open(recorder);

    await t.server.apiKeys.revoke(record.id);
    interrupt();
    // Over HTTP this very POST is refused; over gRPC it waits for a reconnect that is.
    await stream.send(toolCall()).catch(() => undefined);
    const fatal = await recorder.waitFor(() => recorder.fatals[0], 'a fatal error');

    expect(fatal).toBeInstanceOf(AuthenticationError);
    expect(recorder.fatals).toHaveLength(1);
    expect(recorder.statuses.at(-1)).toBe('closed');
    await expect(stream.send(toolCall())).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('close() is idempotent, prompt, and stops delivery', async () => {
    const recorder = new StreamRecorder();
    const stream = create();
    // Baseline: opening the stream and one event's round trip, on this machine, now.
    const openedAt = performance.now();
    await stream.open(recorder);
    const first = toolCall();
    await stream.send(first);
    await recorder.bundleFor(first.eventId);
    const baselineMs = performance.now() - openedAt;

    const startedAt = performance.now();
    await Promise.all([stream.close(), stream.close()]);
    await stream.close();
    // Prompt: not waiting out a long-poll or a call deadline; a generous ratio, no fixed ms.
    expect(performance.now() - startedAt).toBeLessThan(10 * baselineMs);
    expect(recorder.statuses.filter((status) => status === 'closed')).toHaveLength(1);
    await expect(stream.send(toolCall())).rejects.toBeInstanceOf(ClientClosedError);

    // Someone else's event in the same conversation: a live HTTP loop would poll its bundle.
    const elsewhere = { ...toolCall(), conversationId: first.conversationId };
    await postElsewhere(elsewhere);
    // A witness stream on that conversation gets its next bundle; the closed stream's
    // loop, were it alive, would have had the earlier one before.
    const witness = new StreamRecorder();
    const live = create();
    await live.open(witness);
    const barrier = { ...toolCall(), conversationId: first.conversationId };
    await live.send(barrier);
    await witness.bundleFor(barrier.eventId);
    expect(recorder.bundles.map((bundle) => bundle.inReplyToEventId)).toEqual([first.eventId]);
  });
});

describe('GrpcEventStream', () => {
  /** A ping every 50 ms, dead after 250 ms of silence. */
  const fast = { heartbeatIntervalMs: 50, deadAfterMs: 250, connectTimeoutMs: 250 };

  async function startProxy(target = t.server.grpcTarget): Promise<TcpProxy> {
    const extra = await TcpProxy.start(target);
    cleanups.push(() => extra.close());
    return extra;
  }

  /** A second gRPC server over the same store, as a replica behind a load balancer. */
  async function startReplica(): Promise<{ target: string; shutdown(): Promise<void> }> {
    const store = t.server.store;
    const replica = createGrpcServer({
      apiKeys: t.server.apiKeys,
      store,
      processor: new EventProcessor({
        store,
        anticipator: new MemoryAnticipator({ store }),
        hub: new BundleHub(),
      }),
      limits: { eventsPerSecond: 100, burst: 100 },
    });
    const port = await replica.listen('127.0.0.1', 0);
    cleanups.push(() => replica.shutdown(100));
    return { target: `127.0.0.1:${port}`, shutdown: () => replica.shutdown(100) };
  }

  it('stays connected on heartbeat pongs alone', async () => {
    const recorder = new StreamRecorder();
    // The clock is read once per ping (its timestamp): counting reads counts pings.
    let pings = 0;
    const now = () => {
      pings += 1;
      return Date.now();
    };
    await grpcStream({ ...fast, now }).open(recorder);

    // Three times deadAfterMs worth of pings, with nothing but pings and pongs on the wire.
    const pingsInThreeDeadWindows = (3 * fast.deadAfterMs) / fast.heartbeatIntervalMs;
    await vi.waitFor(() => expect(pings).toBeGreaterThanOrEqual(pingsInThreeDeadWindows), {
      timeout: 20_000,
      interval: 25,
    });

    expect(recorder.statuses).toEqual(['connecting', 'connected']);
  });

  it('drops a silent stream after deadAfterMs, reconnects, and replays what was sent meanwhile', async () => {
    const recorder = new StreamRecorder();
    const stream = grpcStream(fast);
    await stream.open(recorder);

    proxy.blackHole();
    // Written into the silent call: never confirmed by a pong, so resent after reconnecting.
    const unconfirmed = toolCall();
    await stream.send(unconfirmed);
    await recorder.reached('reconnecting', 1, 2_000);
    // Sent while disconnected: queued.
    const queued = toolCall();
    await stream.send(queued);
    proxy.resume();
    await recorder.reached('connected', 2, 3_000);

    const bundles = await Promise.all([
      recorder.bundleFor(unconfirmed.eventId),
      recorder.bundleFor(queued.eventId),
    ]);
    expect(bundles.map((bundle) => bundle.anticipationConversationId)).toEqual([
      unconfirmed.conversationId,
      queued.conversationId,
    ]);
    expect(recorder.statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(stream.droppedEvents).toBe(0);
  });

  it('queues at most maxQueuedEvents, drops those older than maxQueuedAgeMs, and counts both', async () => {
    const silent = await startProxy();
    silent.blackHole();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const logger = recordingLogger();
    const recorder = new StreamRecorder();
    const stream = grpcStream({
      ...fast,
      target: silent.target,
      maxQueuedEvents: 2,
      maxQueuedAgeMs: 60_000,
      now: () => clock,
      logger,
    });
    // Nothing answers: open() gives up on the first call after connectTimeoutMs.
    await stream.open(recorder);
    expect(recorder.statuses).toEqual(['connecting', 'reconnecting']);

    const [overflowA, overflowB, stale, fresh] = [toolCall(), toolCall(), toolCall(), toolCall()];
    await stream.send(overflowA);
    await stream.send(overflowB);
    await stream.send(stale);
    expect(stream.droppedEvents).toBe(1);
    clock += 120_000;
    await stream.send(fresh);
    // Both queued events expired: dropped as the next one is queued, not held until replay.
    expect(stream.droppedEvents).toBe(3);
    silent.resume();

    await recorder.bundleFor(fresh.eventId, 3_000);
    expect(stream.droppedEvents).toBe(3);
    expect(recorder.bundles.map((bundle) => bundle.inReplyToEventId)).toEqual([fresh.eventId]);
    expect(logger.messages).toContain('events dropped while the listen stream was down');
  });

  it('reconnects elsewhere when its server signals closing', async () => {
    const replica = await startReplica();
    const balancer = await startProxy(replica.target);
    const recorder = new StreamRecorder();
    const stream = grpcStream({ target: balancer.target });
    await stream.open(recorder);

    balancer.retarget(t.server.grpcTarget);
    await replica.shutdown();
    await recorder.reached('connected', 2);

    expect(recorder.signals.map((signal) => signal.type)).toEqual(['closing']);
    expect(recorder.statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    const event = toolCall();
    await stream.send(event);
    await recorder.bundleFor(event.eventId);
  });

  it('passes on an error signal about a refused event without reconnecting', async () => {
    const recorder = new StreamRecorder();
    const stream = grpcStream();
    await stream.open(recorder);

    await stream.send({ ...toolCall(), conversationId: 'not-a-uuid' });
    const signal = await recorder.waitFor(() => recorder.signals[0], 'a signal');

    expect(signal).toMatchObject({
      type: 'error',
      metadata: { code: 'invalid_input', field: 'conversation_id' },
    });
    const answered = toolCall();
    await stream.send(answered);
    await recorder.bundleFor(answered.eventId);
    expect(recorder.statuses).toEqual(['connecting', 'connected']);
  });
});

describe('HttpEventStream', () => {
  it('gets a bundle from a waiting long-poll as soon as it is saved', async () => {
    const recorder = new StreamRecorder();
    const waitMs = 10_000;
    const polls = pollWatcher();
    const stream = httpStream({ waitMs, fetch: polls.fetch });
    await stream.open(recorder);
    const first = toolCall();
    await stream.send(first);
    await recorder.bundleFor(first.eventId);
    // Caught up by now, and holding a 10 s poll.
    await vi.waitFor(() => expect(polls.waiting).toBe(1), { timeout: 10_000 });

    const next = { ...toolCall(), conversationId: first.conversationId };
    await postElsewhere(next);
    const savedAt = performance.now();
    await recorder.bundleFor(next.eventId, waitMs);

    // Woken, not answered at the end of its wait.
    expect(performance.now() - savedAt).toBeLessThan(waitMs / 2);
  });

  it('does not replay bundles saved before it started polling a conversation', async () => {
    const earlier = toolCall();
    await postElsewhere(earlier);
    const recorder = new StreamRecorder();
    const stream = httpStream();
    await stream.open(recorder);

    const resumed = { ...toolCall(), conversationId: earlier.conversationId };
    await stream.send(resumed);
    await recorder.bundleFor(resumed.eventId);
    // One more in the conversation: the poll reads bundles in order, so a replayed
    // earlier one would come before this.
    const barrier = { ...toolCall(), conversationId: earlier.conversationId };
    await stream.send(barrier);
    await recorder.bundleFor(barrier.eventId);

    expect(recorder.bundles.map((bundle) => bundle.inReplyToEventId)).toEqual([
      resumed.eventId,
      barrier.eventId,
    ]);
  });

  it('polls at most maxConversations pairs, stopping the least recently used', async () => {
    const recorder = new StreamRecorder();
    const stream = httpStream({ maxConversations: 2 });
    await stream.open(recorder);
    const [first, second, third] = [toolCall(), toolCall(), toolCall()];
    for (const event of [first, second, third]) {
      await stream.send(event);
      await recorder.bundleFor(event.eventId);
    }
    expect(stream.activeConversations).toBe(2);

    const toFirst = { ...toolCall(), conversationId: first.conversationId };
    const toThird = { ...toolCall(), conversationId: third.conversationId };
    await postElsewhere(toFirst);
    await postElsewhere(toThird);
    await recorder.bundleFor(toThird.eventId);
    // Two more round trips on a polled conversation: a loop still polling the first one
    // would have had its bundle, saved before these, by then.
    for (let round = 0; round < 2; round += 1) {
      const barrier = { ...toolCall(), conversationId: third.conversationId };
      await postElsewhere(barrier);
      await recorder.bundleFor(barrier.eventId);
    }

    const answered = recorder.bundles.map((bundle) => bundle.inReplyToEventId);
    expect(answered).not.toContain(toFirst.eventId);
  });

  it('rejects a refused event with the mapped error and stays connected', async () => {
    const recorder = new StreamRecorder();
    const stream = httpStream();
    await stream.open(recorder);

    await expect(
      stream.send({ ...toolCall(), conversationId: 'not-a-uuid' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      field: expect.stringMatching(/^conversation_?id$/i),
    });

    // Its pair cannot be polled either: that loop stops by itself.
    await vi.waitFor(() => expect(stream.activeConversations).toBe(0), { timeout: 10_000 });
    expect(recorder.statuses).toEqual(['connecting', 'connected']);
  });
});

/**
 * A fetch that counts the long-polls waiting (wait_ms > 0) for their answer: the
 * event that a stream is caught up and parked on the server.
 */
function pollWatcher(): { fetch: typeof fetch; readonly waiting: number } {
  let waiting = 0;
  return {
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const parked =
        url.pathname.endsWith('/v1/bundles/next') && Number(url.searchParams.get('wait_ms')) > 0;
      if (parked) waiting += 1;
      try {
        return await fetch(input, init);
      } finally {
        if (parked) waiting -= 1;
      }
    },
    get waiting() {
      return waiting;
    },
  };
}
