import {
  type ChannelOptions,
  type ClientDuplexStream,
  credentials,
  status as GrpcStatus,
  Metadata,
  type StatusObject,
} from '@grpc/grpc-js';
import {
  type StreamEvent,
  type StreamResponse,
  SynapServiceClient,
} from '../gen/synap/v1/synap.js';
import type { UsedReport } from './event-stream.js';
import type { ResolvedGrpcEventStreamOptions } from './grpc-event-stream-options.js';
import type { QueuedEvent } from './replay-queue.js';
import { conversationEventToProto } from './stream-wire.js';

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

/**
 * One Listen call on its own channel; a reconnect makes a new one. It pings every
 * `heartbeatIntervalMs` and cancels itself when the server does not answer within
 * `connectTimeoutMs`, or goes silent for `deadAfterMs` once connected. `GrpcEventStream`
 * owns it and reads what the server sends through `onData`.
 */
export class ListenCall {
  readonly client: SynapServiceClient;
  readonly call: ClientDuplexStream<StreamEvent, StreamResponse>;
  readonly ended: Promise<StatusObject>;
  /** The server answered at least once (so it accepted the key). */
  connected = false;
  /** Going away (silent, told to, or closing): new events wait for the next call. */
  retiring = false;
  halfClosed = false;
  pingsSent = 0;
  pongsReceived = 0;
  /**
   * Written, and not yet known to have reached the server: resent on the next call
   * if this one dies. `ping` is `pingsSent` at write time; the pong of any later
   * ping confirms the event (a stream is ordered), and so does its bundle.
   */
  unconfirmed: { queued: QueuedEvent; ping: number }[] = [];
  heartbeat: NodeJS.Timeout;
  watchdog: NodeJS.Timeout;
  drained: Promise<void> | undefined;
  readonly #options: ResolvedGrpcEventStreamOptions;

  /** Starts the call; the first ping is the owner's to send, once it holds the call. */
  constructor(options: ResolvedGrpcEventStreamOptions, onData: (response: StreamResponse) => void) {
    this.#options = options;
    this.client = new SynapServiceClient(
      options.target,
      options.tls ? credentials.createSsl() : credentials.createInsecure(),
      CHANNEL_OPTIONS,
    );
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${options.apiKey}`);
    metadata.set('x-client-id', options.clientId);
    metadata.set('x-instance-id', options.instanceId);
    const call = this.client.listen(metadata);
    this.call = call;
    this.ended = new Promise((resolve) => call.once('status', resolve));
    this.heartbeat = unrefInterval(() => this.ping(), options.heartbeatIntervalMs);
    // Until the first answer; markConnected re-arms it with deadAfterMs.
    this.watchdog = unrefTimeout(
      () => this.abandon('listen stream did not answer; reconnecting'),
      options.connectTimeoutMs,
    );
    // 'status' carries the outcome; grpc-js repeats a non-OK one as 'error', which needs a listener.
    call.on('error', () => undefined);
    call.on('data', onData);
  }

  /** The first answer: from now on, silence for `deadAfterMs` abandons the call. */
  markConnected(): void {
    this.connected = true;
    clearTimeout(this.watchdog);
    this.watchdog = unrefTimeout(
      () => this.abandon('listen stream went silent; reconnecting'),
      this.#options.deadAfterMs,
    );
  }

  /** A pong confirms every event written before the ping it answers. */
  receivePong(): void {
    this.pongsReceived += 1;
    const first = this.unconfirmed.findIndex((entry) => entry.ping >= this.pongsReceived);
    this.unconfirmed.splice(0, first === -1 ? this.unconfirmed.length : first);
  }

  /** A bundle in reply to an event confirms that event. */
  confirm(eventId: string): void {
    this.unconfirmed = this.unconfirmed.filter((entry) => entry.queued.event.eventId !== eventId);
  }

  /** Cancels the call after `ms` unless it ended first. */
  cancelAfter(ms: number): void {
    clearTimeout(this.watchdog);
    this.watchdog = unrefTimeout(() => this.call.cancel(), ms);
  }

  abandon(message: string): void {
    this.retiring = true;
    this.#options.logger.warn({ target: this.#options.target }, message);
    this.call.cancel();
  }

  ping(): void {
    if (this.retiring) return;
    this.pingsSent += 1;
    this.call.write({
      payload: { $case: 'heartbeatPing', value: { timestampMs: this.#options.now() } },
    });
  }

  /** Answers false when the write buffer is over its mark (the event is buffered anyway). */
  write(queued: QueuedEvent): boolean {
    // Bounded like the queue it feeds: a server that never pongs must not grow it forever.
    if (this.unconfirmed.push({ queued, ping: this.pingsSent }) > this.#options.maxQueuedEvents) {
      this.unconfirmed.shift();
    }
    return this.call.write({
      payload: { $case: 'conversationEvent', value: conversationEventToProto(queued.event) },
    });
  }

  /** A `context_used` report: written as is, never queued or replayed. */
  writeUsed(report: UsedReport): void {
    if (this.retiring) return;
    this.call.write({
      payload: {
        $case: 'contextUsed',
        value: {
          bundleId: report.bundleId,
          conversationId: report.conversationId,
          userId: report.userId,
          customerId: report.customerId,
          servedItemIds: report.itemIds,
          timestampMs: report.timestampMs,
          scope: '',
          sourceBundleIds: [],
        },
      },
    });
  }

  /** Until the buffer drains or the call ends, but bounded: a stalled server must not hang a caller. */
  waitForDrain(): Promise<void> {
    this.drained ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.call.off('drain', done);
        this.call.off('status', done);
        this.drained = undefined;
        resolve();
      };
      const timer = unrefTimeout(done, this.#options.drainTimeoutMs);
      this.call.once('drain', done);
      this.call.once('status', done);
    });
    return this.drained;
  }

  /** Half-closes, then waits for the server to end the call, cancelling it after a grace. */
  async close(): Promise<void> {
    this.retiring = true;
    this.halfClosed = true;
    this.call.end();
    // Ref'd: `client.close()` awaits this, and the call's own connection may be unref'd
    // (a background stream), so without it the end might never come in a short script.
    const grace = setTimeout(() => this.call.cancel(), CLOSE_GRACE_MS);
    await this.ended;
    clearTimeout(grace);
  }

  /**
   * Stops the timers once the call ended, and answers the events to replay on the next
   * call: the unconfirmed ones, unless the server ended it OK after our half-close.
   */
  retire(status: StatusObject): QueuedEvent[] {
    clearTimeout(this.watchdog);
    clearInterval(this.heartbeat);
    // After our half-close an OK status means the server handled everything it read.
    const confirmed = this.halfClosed && status.code === GrpcStatus.OK;
    const replay = confirmed ? [] : this.unconfirmed.map((entry) => entry.queued);
    this.unconfirmed = [];
    return replay;
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
