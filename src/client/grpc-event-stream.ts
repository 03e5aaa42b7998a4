import { status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import type { ContextBundleProto, StreamResponse } from '../gen/synap/v1/synap.js';
import { contextBundleFromProto } from '../protocol/bundle-codec.js';
import type { ContextBundle } from '../protocol/context-bundle.js';
import { unrefCallSession } from './call-session.js';
import { errorFromGrpc } from './error-mapping.js';
import { ClientClosedError, ListeningAlreadyActiveError, RateLimitError } from './errors.js';
import {
  callHandler,
  type EventStream,
  type EventStreamHandlers,
  type EventStreamOpenOptions,
  type OutgoingEvent,
  type UsedReport,
} from './event-stream.js';
import {
  type GrpcEventStreamOptions,
  type ResolvedGrpcEventStreamOptions,
  resolveGrpcEventStreamOptions,
} from './grpc-event-stream-options.js';
import { ListenCall } from './listen-call.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { ReplayQueue } from './replay-queue.js';
import { streamSignalFromProto } from './stream-wire.js';
import type { StreamSignal, StreamStatus } from './types.js';

export {
  type GrpcEventStreamOptions,
  type ResolvedGrpcEventStreamOptions,
  resolveGrpcEventStreamOptions,
} from './grpc-event-stream-options.js';

/**
 * The event half of the protocol over gRPC `Listen` (wire.md): events up, bundles and
 * signals down, on one long-lived call that it keeps alive. It pings every
 * `heartbeatIntervalMs` (and once on connecting: the pong proves the key, so
 * 'connected' means connected) and reconnects with full-jitter backoff when the call
 * ends, errs, goes silent for `deadAfterMs`, or the server signals `closing`. Events
 * sent meanwhile, and those written but unconfirmed when a call died, are replayed
 * in order on the next call; the server records an event id once. Status goes
 * `connecting` → `connected`, then `reconnecting` when a call is lost, `degraded` once
 * `degradedAfterAttempts` calls in a row failed to connect or the stream has been down
 * for `degradedAfterMs`, and `connected` again on the first call that answers. A refused key
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
  readonly #queue: ReplayQueue;
  #handlers: EventStreamHandlers | undefined;
  #status: StreamStatus | undefined;
  #attempt: ListenCall | undefined;
  #loop: Promise<void> | undefined;
  #opening: { resolve(): void; reject(error: Error): void } | undefined;
  #fatal: Error | undefined;
  #closing: Promise<void> | undefined;
  /** Calls in a row that ended before the server answered. */
  #failedAttempts = 0;
  /** Turns `reconnecting` into `degraded` once the stream was down `degradedAfterMs`. */
  #degradeTimer: NodeJS.Timeout | undefined;
  /** False: each connected call's HTTP/2 session is unref'd (see call-session.ts). */
  #holdProcess = true;

  constructor(options: GrpcEventStreamOptions) {
    this.#options = resolveGrpcEventStreamOptions(options);
    this.#backoff = new ReconnectBackoff({
      ...this.#options.backoff,
      random: this.#options.random,
    });
    this.#queue = new ReplayQueue(this.#options);
  }

  /** Events dropped so far: queue full, too old to replay, or unsent at close. */
  get droppedEvents(): number {
    return this.#queue.dropped;
  }

  /** Resolves once connected, or once the first call failed and reconnecting began. */
  async open(handlers: EventStreamHandlers, options: EventStreamOpenOptions = {}): Promise<void> {
    if (this.#closing) throw new ClientClosedError();
    if (this.#handlers) throw new ListeningAlreadyActiveError();
    this.#handlers = handlers;
    this.#holdProcess = options.holdProcess ?? true;
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
      return;
    }
    if (!attempt.write(queued)) await attempt.waitForDrain();
  }

  reportUsed(report: UsedReport): boolean {
    const attempt = this.#attempt;
    if (this.#closing || !attempt?.connected || attempt.retiring) return false;
    attempt.writeUsed(report);
    return true;
  }

  /** Half-closes the call (bounded), stops the timers and the channel; idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    clearTimeout(this.#degradeTimer);
    this.#settleOpening();
    const attempt = this.#attempt;
    if (attempt) await attempt.close();
    await this.#loop;
    this.#queue.dropAll();
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
        if (!attempt.connected) this.#failedAttempts += 1;
        this.#down();
        this.#settleOpening();
        const retryAfterMs = error instanceof RateLimitError ? (error.retryAfterMs ?? 0) : 0;
        await this.#backoff.wait(this.#stop.signal, retryAfterMs);
      }
    } catch (error) {
      // Nothing above should throw; if it does, stop visibly rather than spin.
      this.#fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #connect(): ListenCall {
    const attempt: ListenCall = new ListenCall(this.#options, (response) =>
      this.#receive(attempt, response),
    );
    this.#attempt = attempt;
    attempt.ping();
    return attempt;
  }

  #receive(attempt: ListenCall, response: StreamResponse): void {
    if (attempt !== this.#attempt || this.#stop.signal.aborted) return;
    if (!attempt.connected) this.#connected(attempt);
    else if (!attempt.retiring) attempt.watchdog.refresh();
    const payload = response.payload;
    if (payload?.$case === 'heartbeatPong') {
      attempt.receivePong();
    } else if (payload?.$case === 'contextBundle') {
      this.#deliverBundle(attempt, payload.value);
    } else if (payload?.$case === 'signal') {
      this.#onSignal(attempt, streamSignalFromProto(payload.value));
    }
  }

  #connected(attempt: ListenCall): void {
    attempt.markConnected();
    // Once connected: before, the session the call will run on may not exist yet.
    if (!this.#holdProcess && !unrefCallSession(attempt.call)) {
      this.#options.logger.warn(
        { target: this.#options.target },
        'listen stream: could not release its connection; it keeps the process alive until close()',
      );
    }
    this.#backoff.reset();
    this.#failedAttempts = 0;
    clearTimeout(this.#degradeTimer);
    this.#degradeTimer = undefined;
    this.#setStatus('connected');
    this.#settleOpening();
    this.#queue.replay((queued) => attempt.write(queued));
  }

  #deliverBundle(attempt: ListenCall, proto: ContextBundleProto): void {
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
    if (answered) attempt.confirm(answered);
    this.#emit('bundle', (handlers) => handlers.bundle(bundle));
  }

  #onSignal(attempt: ListenCall, signal: StreamSignal): void {
    this.#emit('signal', (handlers) => handlers.signal(signal));
    // Our server answers a refused event with an `error` naming its code and reads on;
    // `closing`, or a bare `error` (other servers), means this call is done.
    const callDone =
      signal.type === 'closing' || (signal.type === 'error' && !signal.metadata.code);
    if (!callDone || attempt.retiring) return;
    attempt.retiring = true;
    this.#down();
    // Bundles for events already read may still come before the server ends the call;
    // a server that never ends it is cut off after connectTimeoutMs.
    attempt.cancelAfter(this.#options.connectTimeoutMs);
  }

  #retire(attempt: ListenCall, status: StatusObject): void {
    const replay = attempt.retire(status);
    if (this.#attempt === attempt) this.#attempt = undefined;
    this.#queue.requeue(replay);
    attempt.client.close();
  }

  /** The stream is down: `reconnecting`, or `degraded` once down too long or too often. */
  #down(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#failedAttempts >= this.#options.degradedAfterAttempts) {
      this.#setStatus('degraded');
      return;
    }
    if (this.#status !== 'degraded') this.#setStatus('reconnecting');
    if (this.#degradeTimer) return;
    this.#degradeTimer = setTimeout(() => {
      if (this.#status === 'reconnecting') this.#setStatus('degraded');
    }, this.#options.degradedAfterMs);
    this.#degradeTimer.unref();
  }

  #fail(error: Error): void {
    if (this.#fatal || this.#stop.signal.aborted) return;
    this.#fatal = error;
    this.#stop.abort();
    clearTimeout(this.#degradeTimer);
    this.#queue.dropAll();
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

  #emit(name: string, deliver: (handlers: EventStreamHandlers) => void): void {
    callHandler(this.#handlers, this.#options.logger, name, deliver);
  }
}
