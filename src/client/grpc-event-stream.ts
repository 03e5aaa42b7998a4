import {
  type ChannelOptions,
  type ClientDuplexStream,
  credentials,
  status as GrpcStatus,
  Metadata,
  type StatusObject,
} from '@grpc/grpc-js';
import {
  type ContextBundleProto,
  type StreamEvent,
  type StreamResponse,
  SynapServiceClient,
} from '../gen/synap/v1/synap.js';
import { contextBundleFromProto } from '../protocol/bundle-codec.js';
import type { ContextBundle } from '../protocol/context-bundle.js';
import { errorFromGrpc } from './error-mapping.js';
import { ClientClosedError, ListeningAlreadyActiveError, RateLimitError } from './errors.js';
import type { EventStream, EventStreamHandlers, OutgoingEvent } from './event-stream.js';
import { type ForesightLogger, onceLogger } from './logger.js';
import { type BackoffOptions, ReconnectBackoff } from './reconnect-backoff.js';
import { conversationEventToProto, streamSignalFromProto } from './stream-wire.js';
import type { StreamSignal, StreamStatus } from './types.js';

/** Options of `GrpcEventStream`; `createClient` fills them from its own. */
export interface GrpcEventStreamOptions {
  /** `host:port` of the Listen service. */
  target: string;
  /** Sent as `authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Sent as `x-client-id`. Default ''. */
  clientId?: string;
  /** Sent as `x-instance-id`. Default ''. */
  instanceId?: string;
  /** TLS with the system roots. Default: true only when the target names port 443. */
  tls?: boolean;
  /** A `HeartbeatPing` this often, ms. Default 30 000. */
  heartbeatIntervalMs?: number;
  /** A connected stream with no answer (pong or anything) for this long is dead, ms. Default 40 000. */
  deadAfterMs?: number;
  /** A new call with no answer for this long is abandoned, ms. Default 5 000. */
  connectTimeoutMs?: number;
  /** Full-jitter reconnect delays. Default 1 000 to 30 000 ms. */
  backoff?: BackoffOptions;
  /** Events kept while disconnected; the oldest is dropped (and counted) past it. Default 100. */
  maxQueuedEvents?: number;
  /** A queued event older than this is dropped (and counted) instead of replayed, ms. Default 300 000. */
  maxQueuedAgeMs?: number;
  /** `send` waits at most this long for a full write buffer to drain, ms. Default 5 000. */
  drainTimeoutMs?: number;
  /** Default `onceLogger()`: one process warning per kind of trouble. */
  logger?: ForesightLogger;
  /** Epoch ms for ping timestamps and queue ages. Default `Date.now`. */
  now?: () => number;
  /** Backoff jitter. Default `Math.random`. */
  random?: () => number;
}

export type ResolvedGrpcEventStreamOptions = Required<Omit<GrpcEventStreamOptions, 'backoff'>> & {
  backoff: Required<BackoffOptions>;
};

/** Defaults applied once; the reference client's timings (compatibility §15). */
export function resolveGrpcEventStreamOptions(
  options: GrpcEventStreamOptions,
): ResolvedGrpcEventStreamOptions {
  return {
    target: options.target,
    apiKey: options.apiKey,
    clientId: options.clientId ?? '',
    instanceId: options.instanceId ?? '',
    // A local or in-cluster server speaks plaintext; the hosted one listens on 443.
    tls: options.tls ?? /:443$/.test(options.target),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    deadAfterMs: options.deadAfterMs ?? 40_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    backoff: {
      initialMs: options.backoff?.initialMs ?? 1_000,
      maxMs: options.backoff?.maxMs ?? 30_000,
    },
    maxQueuedEvents: options.maxQueuedEvents ?? 100,
    maxQueuedAgeMs: options.maxQueuedAgeMs ?? 300_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 5_000,
    logger: options.logger ?? onceLogger(),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

// The reference client's keepalive: an HTTP/2 ping every 30 s even when idle. A local
// subchannel pool, because grpc-js otherwise shares connections between channels to
// one target, and a reconnect must not land on the connection that just went silent.
const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.use_local_subchannel_pool': 1,
};

/** close() half-closes, so the server answers what it read; this bounds the wait. */
const CLOSE_GRACE_MS = 1_000;

interface QueuedEvent {
  event: OutgoingEvent;
  /** When `send` was called, by `now`. */
  queuedAt: number;
}

/** One Listen call on its own channel; a reconnect makes a new one. */
interface ListenAttempt {
  readonly client: SynapServiceClient;
  readonly call: ClientDuplexStream<StreamEvent, StreamResponse>;
  readonly ended: Promise<StatusObject>;
  /** The server answered at least once (so it accepted the key). */
  connected: boolean;
  /** Going away (silent, told to, or closing): new events wait for the next call. */
  retiring: boolean;
  halfClosed: boolean;
  pingsSent: number;
  pongsReceived: number;
  /**
   * Written, and not yet known to have reached the server: resent on the next call
   * if this one dies. `ping` is `pingsSent` at write time; the pong of any later
   * ping confirms the event (a stream is ordered), and so does its bundle.
   */
  unconfirmed: { queued: QueuedEvent; ping: number }[];
  heartbeat: NodeJS.Timeout;
  watchdog: NodeJS.Timeout;
  drained: Promise<void> | undefined;
}

/**
 * The event half of the protocol over gRPC `Listen` (wire.md): events up, bundles and
 * signals down, on one long-lived call that it keeps alive. It pings every
 * `heartbeatIntervalMs` (and once on connecting: the pong proves the key, so
 * 'connected' means connected) and reconnects with full-jitter backoff when the call
 * ends, errs, goes silent for `deadAfterMs`, or the server signals `closing`. Events
 * sent meanwhile, and those written but unconfirmed when a call died, are replayed
 * in order on the next call; the server records an event id once. A refused key
 * stops it for good: `open()` rejects with `AuthenticationError`, or `handlers.fatal`
 * gets it once open.
 *
 * @example
 * const stream = new GrpcEventStream({ target: '127.0.0.1:8421', apiKey });
 * await stream.open({ bundle: (bundle) => cache.put(bundle), signal, status, fatal });
 */
export class GrpcEventStream implements EventStream {
  readonly #options: ResolvedGrpcEventStreamOptions;
  readonly #backoff: ReconnectBackoff;
  /** Aborted by close() or a fatal error: ends the loop, its waits and all delivery. */
  readonly #stop = new AbortController();
  #handlers: EventStreamHandlers | undefined;
  #status: StreamStatus | undefined;
  #attempt: ListenAttempt | undefined;
  #queue: QueuedEvent[] = [];
  #dropped = 0;
  #unreportedDrops = 0;
  #loop: Promise<void> | undefined;
  #opening: { resolve(): void; reject(error: Error): void } | undefined;
  #fatal: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: GrpcEventStreamOptions) {
    this.#options = resolveGrpcEventStreamOptions(options);
    this.#backoff = new ReconnectBackoff({
      ...this.#options.backoff,
      random: this.#options.random,
    });
  }

  /** Events dropped so far: queue full, too old to replay, or unsent at close. */
  get droppedEvents(): number {
    return this.#dropped;
  }

  /** Resolves once connected, or once the first call failed and reconnecting began. */
  async open(handlers: EventStreamHandlers): Promise<void> {
    if (this.#closing) throw new ClientClosedError();
    if (this.#handlers) throw new ListeningAlreadyActiveError();
    this.#handlers = handlers;
    this.#setStatus('connecting');
    const opened = new Promise<void>((resolve, reject) => {
      this.#opening = { resolve, reject };
    });
    this.#loop = this.#run();
    await opened;
  }

  /** Writes the event, or queues it while disconnected; waits (bounded) when the buffer is full. */
  async send(event: OutgoingEvent): Promise<void> {
    if (this.#closing) throw new ClientClosedError();
    if (this.#fatal) throw this.#fatal;
    const queued = { event, queuedAt: this.#options.now() };
    const attempt = this.#attempt;
    if (!attempt?.connected || attempt.retiring) {
      this.#queue.push(queued);
      this.#trimQueue();
      return;
    }
    if (!this.#write(attempt, queued)) await this.#drained(attempt);
  }

  /** Half-closes the call (bounded), stops the timers and the channel; idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    this.#settleOpening();
    const attempt = this.#attempt;
    if (attempt) {
      attempt.retiring = true;
      attempt.halfClosed = true;
      attempt.call.end();
      const grace = setTimeout(() => attempt.call.cancel(), CLOSE_GRACE_MS);
      grace.unref();
      await attempt.ended;
      clearTimeout(grace);
    }
    await this.#loop;
    this.#drop(this.#queue.splice(0).length);
    this.#reportDrops();
    this.#setStatus('closed');
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stop.signal.aborted) {
        const attempt = this.#connect();
        const status = await attempt.ended;
        this.#retire(attempt, status);
        if (this.#stop.signal.aborted) return;
        const cancelledByUs = attempt.retiring && status.code === GrpcStatus.CANCELLED;
        const error =
          status.code === GrpcStatus.OK || cancelledByUs
            ? undefined
            : errorFromGrpc(status.code, status.details);
        if (error?.code === 'authentication_failed') {
          this.#fail(error);
          return;
        }
        if (error) this.#options.logger.warn({ err: error }, 'listen stream lost; reconnecting');
        this.#setStatus('reconnecting');
        this.#settleOpening();
        const retryAfterMs = error instanceof RateLimitError ? (error.retryAfterMs ?? 0) : 0;
        await this.#backoff.wait(this.#stop.signal, retryAfterMs);
      }
    } catch (error) {
      // Nothing above should throw; if it does, stop visibly rather than spin.
      this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #connect(): ListenAttempt {
    const options = this.#options;
    const client = new SynapServiceClient(
      options.target,
      options.tls ? credentials.createSsl() : credentials.createInsecure(),
      CHANNEL_OPTIONS,
    );
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${options.apiKey}`);
    metadata.set('x-client-id', options.clientId);
    metadata.set('x-instance-id', options.instanceId);
    const call = client.listen(metadata);
    const attempt: ListenAttempt = {
      client,
      call,
      ended: new Promise((resolve) => call.once('status', resolve)),
      connected: false,
      retiring: false,
      halfClosed: false,
      pingsSent: 0,
      pongsReceived: 0,
      unconfirmed: [],
      heartbeat: unrefInterval(() => this.#ping(attempt), options.heartbeatIntervalMs),
      // Until the first answer; #connected re-arms it with deadAfterMs.
      watchdog: unrefTimeout(
        () => this.#abandon(attempt, 'listen stream did not answer; reconnecting'),
        options.connectTimeoutMs,
      ),
      drained: undefined,
    };
    // 'status' carries the outcome; grpc-js repeats a non-OK one as 'error', which needs a listener.
    call.on('error', () => undefined);
    call.on('data', (response: StreamResponse) => this.#receive(attempt, response));
    this.#attempt = attempt;
    this.#ping(attempt);
    return attempt;
  }

  #receive(attempt: ListenAttempt, response: StreamResponse): void {
    if (attempt !== this.#attempt || this.#stop.signal.aborted) return;
    if (!attempt.connected) this.#connected(attempt);
    else if (!attempt.retiring) attempt.watchdog.refresh();
    const payload = response.payload;
    if (payload?.$case === 'heartbeatPong') {
      attempt.pongsReceived += 1;
      const first = attempt.unconfirmed.findIndex((entry) => entry.ping >= attempt.pongsReceived);
      attempt.unconfirmed.splice(0, first === -1 ? attempt.unconfirmed.length : first);
    } else if (payload?.$case === 'contextBundle') {
      this.#deliverBundle(attempt, payload.value);
    } else if (payload?.$case === 'signal') {
      this.#onSignal(attempt, streamSignalFromProto(payload.value));
    }
  }

  #connected(attempt: ListenAttempt): void {
    attempt.connected = true;
    clearTimeout(attempt.watchdog);
    attempt.watchdog = unrefTimeout(
      () => this.#abandon(attempt, 'listen stream went silent; reconnecting'),
      this.#options.deadAfterMs,
    );
    this.#backoff.reset();
    this.#setStatus('connected');
    this.#settleOpening();
    const oldest = this.#options.now() - this.#options.maxQueuedAgeMs;
    // Written at once, past the back-pressure mark: at most maxQueuedEvents, buffered by grpc-js.
    for (const queued of this.#queue.splice(0)) {
      if (queued.queuedAt < oldest) this.#drop(1);
      else this.#write(attempt, queued);
    }
    this.#reportDrops();
  }

  #deliverBundle(attempt: ListenAttempt, proto: ContextBundleProto): void {
    let bundle: ContextBundle;
    try {
      bundle = contextBundleFromProto(proto);
    } catch (error) {
      this.#options.logger.warn(
        { err: error, bundleId: proto.bundleId },
        'pushed bundle does not parse; skipped',
      );
      return;
    }
    const answered = bundle.inReplyToEventId;
    if (answered) {
      attempt.unconfirmed = attempt.unconfirmed.filter(
        (entry) => entry.queued.event.eventId !== answered,
      );
    }
    this.#emit('bundle', (handlers) => handlers.bundle(bundle));
  }

  #onSignal(attempt: ListenAttempt, signal: StreamSignal): void {
    this.#emit('signal', (handlers) => handlers.signal(signal));
    // Our server answers a refused event with an `error` naming its code and reads on;
    // `closing`, or a bare `error` (other servers), means this call is done.
    const callDone =
      signal.type === 'closing' || (signal.type === 'error' && !signal.metadata.code);
    if (!callDone || attempt.retiring) return;
    attempt.retiring = true;
    this.#setStatus('reconnecting');
    // Bundles for events already read may still come before the server ends the call;
    // a server that never ends it is cut off after connectTimeoutMs.
    clearTimeout(attempt.watchdog);
    attempt.watchdog = unrefTimeout(() => attempt.call.cancel(), this.#options.connectTimeoutMs);
  }

  #abandon(attempt: ListenAttempt, message: string): void {
    attempt.retiring = true;
    this.#options.logger.warn({ target: this.#options.target }, message);
    attempt.call.cancel();
  }

  #ping(attempt: ListenAttempt): void {
    if (attempt.retiring) return;
    attempt.pingsSent += 1;
    attempt.call.write({
      payload: { $case: 'heartbeatPing', value: { timestampMs: this.#options.now() } },
    });
  }

  /** Answers false when the write buffer is over its mark (the event is buffered anyway). */
  #write(attempt: ListenAttempt, queued: QueuedEvent): boolean {
    // Bounded like the queue it feeds: a server that never pongs must not grow it forever.
    if (
      attempt.unconfirmed.push({ queued, ping: attempt.pingsSent }) > this.#options.maxQueuedEvents
    ) {
      attempt.unconfirmed.shift();
    }
    return attempt.call.write({
      payload: { $case: 'conversationEvent', value: conversationEventToProto(queued.event) },
    });
  }

  /** Until the buffer drains or the call ends, but bounded: a stalled server must not hang a caller. */
  #drained(attempt: ListenAttempt): Promise<void> {
    attempt.drained ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        attempt.call.off('drain', done);
        attempt.call.off('status', done);
        attempt.drained = undefined;
        resolve();
      };
      const timer = unrefTimeout(done, this.#options.drainTimeoutMs);
      attempt.call.once('drain', done);
      attempt.call.once('status', done);
    });
    return attempt.drained;
  }

  #retire(attempt: ListenAttempt, status: StatusObject): void {
    clearTimeout(attempt.watchdog);
    clearInterval(attempt.heartbeat);
    if (this.#attempt === attempt) this.#attempt = undefined;
    // After our half-close an OK status means the server handled everything it read.
    const confirmed = attempt.halfClosed && status.code === GrpcStatus.OK;
    if (!confirmed) this.#queue.unshift(...attempt.unconfirmed.map((entry) => entry.queued));
    attempt.unconfirmed = [];
    this.#trimQueue();
    attempt.client.close();
  }

  #trimQueue(): void {
    const excess = this.#queue.length - this.#options.maxQueuedEvents;
    if (excess > 0) this.#drop(this.#queue.splice(0, excess).length);
  }

  #drop(count: number): void {
    this.#dropped += count;
    this.#unreportedDrops += count;
  }

  /** Drops are counted as they happen and told once per reconnect, never one by one. */
  #reportDrops(): void {
    if (this.#unreportedDrops === 0) return;
    this.#options.logger.warn(
      { dropped: this.#unreportedDrops, droppedTotal: this.#dropped },
      'events dropped while the listen stream was down',
    );
    this.#unreportedDrops = 0;
  }

  #fail(error: Error): void {
    if (this.#fatal || this.#stop.signal.aborted) return;
    this.#fatal = error;
    this.#stop.abort();
    this.#drop(this.#queue.splice(0).length);
    this.#reportDrops();
    this.#setStatus('closed');
    const opening = this.#opening;
    this.#opening = undefined;
    // One report per failure: the open() caller if it is still waiting, else the handler.
    if (opening) opening.reject(error);
    else this.#emit('fatal', (handlers) => handlers.fatal(error));
  }

  #settleOpening(): void {
    this.#opening?.resolve();
    this.#opening = undefined;
  }

  #setStatus(status: StreamStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    this.#emit('status', (handlers) => handlers.status(status));
  }

  /** A throwing handler must not break the stream: it is logged and the stream goes on. */
  #emit(name: string, deliver: (handlers: EventStreamHandlers) => void): void {
    if (!this.#handlers) return;
    try {
      deliver(this.#handlers);
    } catch (error) {
      this.#options.logger.warn({ err: error }, `event stream ${name} handler threw`);
    }
  }
}

function unrefTimeout(run: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(run, ms);
  timer.unref();
  return timer;
}

function unrefInterval(run: () => void, ms: number): NodeJS.Timeout {
  const timer = setInterval(run, ms);
  timer.unref();
  return timer;
}
