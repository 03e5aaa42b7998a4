import { type ServerDuplexStream, status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { StreamEvent, StreamResponse } from '../../gen/synap/v1/synap.js';
import type { AuthContext } from '../api-keys.js';
import type { EventAdmission } from '../events/event-admission.js';
import type { EventProcessor } from '../events/event-processor.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import { settleWithin } from '../settle-within.js';
import { type KeyedRateLimiter, TokenBucket } from '../token-bucket.js';
import type { CallAuthenticator } from './call-authenticator.js';
import type { KeyStreamQuota } from './key-stream-quota.js';
import { toGrpcStatus } from './status.js';
import {
  bundleResponse,
  conversationEventToWire,
  pongResponse,
  sessionControlToWire,
  signalResponse,
} from './stream-messages.js';

const DEFAULT_MAX_PENDING_EVENTS = 256;

/** Per-stream limits of the Listen call. */
export interface StreamLimits {
  /** Sustained events a second (pings excluded). */
  eventsPerSecond: number;
  /** Events allowed at once above the sustained rate. */
  burst: number;
  /** Refused events in a row after which the call ends RESOURCE_EXHAUSTED. Default max(10, 2 × burst). */
  refusalsBeforeDisconnect?: number;
  /**
   * Events received and not yet processed on this stream; past it, events are dropped
   * with a `throttle` signal (the engine is behind). One stream carries every
   * conversation of a client process: 50 agent turns starting at once send 150 events
   * in a burst, and at 64 a tenth of their tool calls were shed and their model calls
   * waited out `awaitContextMs`. The server-wide bound (EventAdmission, 2048) and the
   * queue delay bound what a stream can hold. Default 256.
   */
  maxPendingEvents?: number;
  /**
   * How long an event may wait in this stream's queue; an older one is dropped unhandled
   * (and counts as shed), because its bundle would arrive after the agent moved on.
   * Bounds the event → bundle latency under overload. Default 2000.
   */
  maxQueueDelayMs?: number;
  /** Responses written and not yet taken by the client before the call is ended. Default 1000. */
  maxQueuedResponses?: number;
}

export interface ListenStreamDependencies {
  authenticator: CallAuthenticator;
  processor: EventProcessor;
  metrics: ServerMetrics | undefined;
  logger: Logger | undefined;
  limits: StreamLimits;
  /**
   * Shared by every stream of the server, keyed by API key, so opening more streams
   * does not multiply a key's event budget. Applies once the call is authenticated.
   */
  keyLimiter?: KeyedRateLimiter;
  /** The server-wide bound on events in flight, shared by every stream. */
  admission?: EventAdmission;
  /** Open streams per API key; a stream past its key's share ends RESOURCE_EXHAUSTED. */
  streamQuota?: KeyStreamQuota;
}

type Call = ServerDuplexStream<StreamEvent, StreamResponse>;

/**
 * One open Listen call. Events are processed one at a time in arrival order (the
 * store sees them in order; a bundle names its event anyway); pings skip that queue
 * so a slow retrieval never costs a pong. Nothing a client sends ends the stream
 * except an unusable key or a sustained flood: a bad event is answered with an
 * `error` signal and the stream reads on.
 */
export class ListenStream {
  readonly #call: Call;
  readonly #deps: ListenStreamDependencies;
  readonly #bucket: TokenBucket;
  readonly #refusalLimit: number;
  readonly #maxPending: number;
  readonly #maxQueued: number;
  readonly #maxQueueDelay: number;
  readonly #onFinished: () => void;
  #auth: AuthContext | undefined;
  /** The key whose stream slot this stream holds, given back when it finishes. */
  #slotOf: string | undefined;
  #authenticated: Promise<AuthContext | undefined> = Promise.resolve(undefined);
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #throttled = false;
  /** In an overload episode (events being shed): its one `throttle` signal is sent. */
  #shedding = false;
  #refusedInRow = 0;
  /** We ended the call (status sent or being sent): write nothing more. */
  #ended = false;
  #finished = false;

  constructor(call: Call, deps: ListenStreamDependencies, onFinished: () => void) {
    this.#call = call;
    this.#deps = deps;
    this.#onFinished = onFinished;
    const { limits } = deps;
    this.#bucket = new TokenBucket({
      capacity: limits.burst,
      refillPerSecond: limits.eventsPerSecond,
    });
    this.#refusalLimit = limits.refusalsBeforeDisconnect ?? Math.max(10, 2 * limits.burst);
    this.#maxPending = limits.maxPendingEvents ?? DEFAULT_MAX_PENDING_EVENTS;
    this.#maxQueued = limits.maxQueuedResponses ?? 1000;
    this.#maxQueueDelay = limits.maxQueueDelayMs ?? 2000;
  }

  start(): void {
    const call = this.#call;
    call.on('data', (message: StreamEvent) => this.#guard('receive', () => this.#receive(message)));
    // The client half-closed: answer what it sent, then end with OK.
    call.on('end', () => {
      void this.#queue.then(() => this.#end());
    });
    call.on('error', (error: unknown) => {
      // Our own status (emitted by #endWith) comes back through this listener too.
      if (!this.#ended) this.#deps.logger?.debug({ err: error }, 'listen stream error');
      this.#finish();
    });
    call.on('cancelled', () => this.#finish());
    call.on('finish', () => this.#finish());
    call.on('close', () => this.#finish());
    this.#authenticated = this.#deps.authenticator.authenticate(call.metadata, call.getPeer()).then(
      (auth) => {
        const quota = this.#deps.streamQuota;
        if (quota && !this.#finished) {
          if (!quota.acquire(auth.keyId)) {
            this.#deps.metrics?.rateLimited.inc({ surface: 'grpc_streams' });
            this.#endWith(
              status.RESOURCE_EXHAUSTED,
              `this API key holds ${quota.limit} open streams; close one or retry shortly`,
            );
            return undefined;
          }
          this.#slotOf = auth.keyId;
        }
        this.#auth = auth;
        return auth;
      },
      (error: unknown) => {
        const { code, details } = toGrpcStatus(error);
        this.#endWith(code === status.INTERNAL ? status.UNAVAILABLE : code, details);
        if (!(error instanceof ServerError)) {
          this.#deps.logger?.error({ err: error }, 'listen authentication failed unexpectedly');
        }
        return undefined;
      },
    );
  }

  /**
   * Shutdown: a `closing` signal at once (the client reconnects elsewhere), then what
   * is in flight gets at most `graceMs` before the call ends.
   */
  async close(reason: string, graceMs: number): Promise<void> {
    if (this.#ended) return;
    this.#write(signalResponse('closing', reason));
    await settleWithin(this.#queue, graceMs);
    this.#end();
  }

  #receive(message: StreamEvent): void {
    if (this.#ended) return;
    const payload = message.payload;
    if (payload?.$case === 'heartbeatPing') {
      const timestampMs = payload.value.timestampMs;
      // An int64 past 2^53 arrives rounded: no pong can echo it, so say which field.
      if (!Number.isSafeInteger(timestampMs)) {
        this.#signalError(
          ServerError.invalid(
            'heartbeat_ping.timestamp_ms',
            'must be a safe integer (at most 2^53 - 1)',
          ),
        );
        return;
      }
      if (this.#auth) this.#write(pongResponse(timestampMs));
      else void this.#authenticated.then((auth) => auth && this.#write(pongResponse(timestampMs)));
      return;
    }
    if (!this.#admit()) return;
    if (
      (payload?.$case === 'conversationEvent' || payload?.$case === 'sessionControl') &&
      !this.#reserve()
    )
      return;
    const received = performance.now();
    switch (payload?.$case) {
      case 'conversationEvent': {
        const wire = conversationEventToWire(payload.value);
        this.#enqueue(received, async (auth) => {
          await this.#deps.processor.handle(auth, wire, 'grpc', (bundle) => {
            if (!this.#write(bundleResponse(bundle))) return;
            this.#deps.metrics?.bundlesPushed.inc({ transport: 'grpc' });
            this.#deps.metrics?.eventToBundle.observe((performance.now() - received) / 1000);
          });
        });
        return;
      }
      case 'sessionControl': {
        const wire = sessionControlToWire(payload.value);
        this.#enqueue(received, (auth) =>
          this.#deps.processor.handleSessionControl(auth, wire, 'grpc'),
        );
        return;
      }
      case 'contextUsed': {
        const used = payload.value;
        this.#deps.metrics?.streamEvents.inc({ transport: 'grpc', event_type: 'context_used' });
        // Off the event queue: a report never delays the next event's bundle.
        void this.#authenticated.then(async (auth) => {
          if (!auth) return;
          try {
            await this.#deps.processor.handleContextUsed(auth, {
              bundle_id: used.bundleId,
              user_id: used.userId,
              customer_id: used.customerId,
              served_item_ids: used.servedItemIds,
              source_bundle_ids: used.sourceBundleIds,
            });
          } catch (error) {
            // A report is the client's courtesy: a failure to count it is ours to log,
            // not an error to signal on its stream.
            this.#deps.logger?.warn({ err: error }, 'context_used report not counted');
          }
        });
        return;
      }
      default:
        // ContextAssembled carries ids only and feeds nothing yet; a payload this server
        // does not know (a newer client) is as welcome.
        this.#deps.metrics?.streamEvents.inc({
          transport: 'grpc',
          event_type: payload ? snakeCase(payload.$case) : 'unknown_payload',
        });
    }
  }

  /** The per-stream bucket, then the key's: one `throttle` signal per episode, then a hard stop. */
  #admit(): boolean {
    const perStream = this.#bucket.take();
    const taken =
      perStream.ok && this.#auth && this.#deps.keyLimiter
        ? this.#deps.keyLimiter.take(this.#auth.keyId)
        : perStream;
    if (taken.ok) {
      this.#throttled = false;
      this.#refusedInRow = 0;
      return true;
    }
    this.#deps.metrics?.rateLimited.inc({ surface: 'grpc_stream' });
    this.#refusedInRow += 1;
    if (this.#refusedInRow > this.#refusalLimit) {
      this.#endWith(
        status.RESOURCE_EXHAUSTED,
        'event rate limit exceeded; slow down and reconnect',
      );
    } else if (!this.#throttled) {
      this.#throttled = true;
      this.#write(
        signalResponse('throttle', 'event rate limit exceeded; events are being dropped', {
          retry_after_ms: String(taken.retryAfterMs),
        }),
      );
    }
    return false;
  }

  /**
   * A slot for one event on this stream and on the server, or the event is shed: the
   * engine is behind, and queueing more would only grow memory and every later event's
   * wait. One `throttle` signal per episode (until this stream's queue is empty again)
   * says so; the stream stays open and keeps reading (pings are still answered). Not
   * counted as the client's refusal.
   */
  #reserve(): boolean {
    const admission = this.#deps.admission;
    if (this.#pending < this.#maxPending && (!admission || admission.tryAcquire())) {
      // The episode ends once this stream caught up, so a queue hovering at its bound
      // does not send a signal for every other event.
      if (this.#pending === 0) this.#shedding = false;
      return true;
    }
    this.#shed();
    return false;
  }

  /** Counts a dropped event; the first of an episode sends the `throttle` signal. */
  #shed(): void {
    this.#deps.metrics?.eventsShed.inc();
    if (!this.#shedding) {
      this.#shedding = true;
      this.#write(
        signalResponse('throttle', 'server is behind; events are being dropped', {
          cause: 'overloaded',
          retry_after_ms: '1000',
        }),
      );
    }
  }

  /** Runs `task` after the ones before it; the caller reserved its slot (`#reserve`). */
  #enqueue(received: number, task: (auth: AuthContext) => Promise<unknown>): void {
    this.#pending += 1;
    this.#queue = this.#queue.then(async () => {
      try {
        // A turn of the event loop before each event: PGlite runs its queries on this
        // thread, and an event handled wholly in microtasks would keep the sockets
        // unread, hiding the backlog in TCP buffers where no bound or throttle sees it.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const auth = await this.#authenticated;
        // Waited past its use: the agent's next model call has gone without it.
        if (performance.now() - received > this.#maxQueueDelay) this.#shed();
        else if (auth && !this.#ended) await task(auth);
      } catch (error) {
        this.#signalError(error);
      } finally {
        this.#pending -= 1;
        this.#deps.admission?.release();
      }
    });
  }

  /** A refused event: an `error` signal naming the field; the stream stays open. */
  #signalError(error: unknown): void {
    if (error instanceof ServerError) {
      const metadata: Record<string, string> = { code: error.code };
      if (error.field) metadata.field = error.field;
      this.#write(signalResponse('error', error.message, metadata));
      return;
    }
    this.#deps.logger?.error({ err: error, clientId: this.#auth?.clientId }, 'listen event failed');
    this.#write(signalResponse('error', 'internal error', { code: 'internal' }));
  }

  /** Answers false when nothing was written (ended, or the client stopped reading). */
  #write(response: StreamResponse): boolean {
    if (this.#ended) return false;
    if (this.#call.writableLength >= this.#maxQueued) {
      this.#endWith(status.RESOURCE_EXHAUSTED, 'client is not reading its stream');
      return false;
    }
    this.#call.write(response);
    return true;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#guard('end', () => this.#call.end());
  }

  #endWith(code: status, details: string): void {
    if (this.#ended) return;
    this.#ended = true;
    // grpc-js ends a server stream with a status when 'error' is emitted on it.
    this.#guard('end', () => this.#call.emit('error', { code, details }));
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#ended = true;
    if (this.#slotOf !== undefined) this.#deps.streamQuota?.release(this.#slotOf);
    this.#onFinished();
  }

  /** A stream's fault must never reach the process: count it in the log and go on. */
  #guard(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#deps.logger?.error({ err: error, what }, 'listen stream handler failed');
    }
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
