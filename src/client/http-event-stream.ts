import { contextBundleFromJson } from '../protocol/bundle-codec.js';
import type { ContextBundle } from '../protocol/context-bundle.js';
import { errorFromNetwork } from './error-mapping.js';
import {
  ClientClosedError,
  ListeningAlreadyActiveError,
  RateLimitError,
  ServiceUnavailableError,
  SynapError,
} from './errors.js';
import {
  callHandler,
  type EventStream,
  type EventStreamHandlers,
  type OutgoingEvent,
} from './event-stream.js';
import { HttpClient } from './http-client.js';
import { type ForesightLogger, onceLogger } from './logger.js';
import { type BackoffOptions, ReconnectBackoff } from './reconnect-backoff.js';
import { conversationEventToJson } from './stream-wire.js';
import type { StreamStatus } from './types.js';

/** Options of `HttpEventStream`; `createClient` fills them from its own. */
export interface HttpEventStreamOptions {
  /** REST base URL of the service; a path prefix is kept. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Sent as `X-Client-ID` when set. */
  clientId?: string;
  /** Sent as `X-Instance-ID` when set. */
  instanceId?: string;
  /** How long one long-poll may wait for a bundle, ms. Default 20 000 (the server caps it at 30 000). */
  waitMs?: number;
  /** Bound of each request on top of its long-poll wait, ms. Default 10 000. */
  requestTimeoutMs?: number;
  /** Full-jitter delays after a failed poll. Default 1 000 to 30 000 ms. */
  backoff?: BackoffOptions;
  /** Status turns from `reconnecting` to `degraded` after this many failed polls in a row. Default 5. */
  degradedAfterAttempts?: number;
  /** ... or once polls have failed for this long, ms (checked at each failure). Default 30 000. */
  degradedAfterMs?: number;
  /** (conversation, user) pairs polled at once; the least recently sent to stops past it. Default 64. */
  maxConversations?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Default `onceLogger()`: one process warning per kind of trouble. */
  logger?: ForesightLogger;
  /** Backoff jitter. Default `Math.random`. */
  random?: () => number;
}

type ResolvedOptions = Required<
  Pick<
    HttpEventStreamOptions,
    | 'waitMs'
    | 'requestTimeoutMs'
    | 'maxConversations'
    | 'logger'
    | 'degradedAfterAttempts'
    | 'degradedAfterMs'
  >
> & { backoff: BackoffOptions & { random: () => number } };

/** The bundles of one (conversation, user, customer), by long-poll. */
interface PollLoop {
  readonly key: string;
  readonly conversationId: string;
  readonly userId: string;
  /** '' when the event named none (B2C); a B2B server requires it. */
  readonly customerId: string;
  readonly controller: AbortController;
  /** The server's `next_cursor`; '0' is the start. */
  cursor: string;
  /**
   * Until a poll finds nothing new, the loop reads bundles saved before this stream
   * existed: of those, only answers to `expected` events are delivered, so a resumed
   * conversation does not replay its history into the cache.
   */
  caughtUp: boolean;
  /** Ids of events sent for this pair, the latest MAX_EXPECTED_IDS. */
  readonly expected: Set<string>;
}

const MAX_EXPECTED_IDS = 256;

/**
 * The event half of the protocol for runtimes without http2 (wire.md, "Our
 * extensions"): each event is a `POST /v1/events`, and bundles come back by bounded
 * long-poll of `GET /v1/bundles/next`, one loop per (conversation, user) pair that
 * events were sent for. `open()` checks the key (`whoami`), so a wrong key fails
 * there as it does on gRPC; a key refused later stops everything and goes to
 * `handlers.fatal`. A failed POST is not retried: `send` rejects with the mapped error.
 *
 * Status: 'connected' after any answered request; 'reconnecting' while a poll backs
 * off; 'degraded' once `degradedAfterAttempts` polls in a row failed or they have
 * failed for `degradedAfterMs`, and at once when an event could not be posted or
 * the service rate-limits.
 *
 * @example
 * const stream = new HttpEventStream({ baseUrl: 'http://127.0.0.1:8420', apiKey });
 * await stream.open({ bundle: (bundle) => cache.put(bundle), signal, status, fatal });
 */
export class HttpEventStream implements EventStream {
  readonly #options: ResolvedOptions;
  readonly #http: HttpClient;
  /** Aborted by close() or a fatal error: ends every request of the stream. */
  readonly #stop = new AbortController();
  /** In least-recently-used order: a send moves its pair to the end. */
  readonly #loops = new Map<string, PollLoop>();
  /** Every loop and POST still running, stopped ones included; close() awaits them. */
  readonly #running = new Set<Promise<void>>();
  #handlers: EventStreamHandlers | undefined;
  #status: StreamStatus | undefined;
  #fatal: SynapError | undefined;
  #closing: Promise<void> | undefined;
  /** Polls in a row that failed, across pairs, and since when. */
  #failedPolls = 0;
  #failingSince: number | undefined;

  constructor(options: HttpEventStreamOptions) {
    this.#options = {
      waitMs: options.waitMs ?? 20_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      maxConversations: options.maxConversations ?? 64,
      logger: options.logger ?? onceLogger(),
      degradedAfterAttempts: options.degradedAfterAttempts ?? 5,
      degradedAfterMs: options.degradedAfterMs ?? 30_000,
      backoff: { ...options.backoff, random: options.random ?? Math.random },
    };
    this.#http = new HttpClient({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: this.#options.requestTimeoutMs,
      ...(options.clientId ? { clientId: options.clientId } : {}),
      ...(options.instanceId ? { instanceId: options.instanceId } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Pairs being polled. */
  get activeConversations(): number {
    return this.#loops.size;
  }

  /**
   * Resolves once the key was checked, or once the service proved unreachable (status
   * 'degraded'). `holdProcess: false` is not honoured here: a long-poll in flight holds
   * the process (fetch offers no unref), so a script on this transport ends at `close()`.
   */
  async open(handlers: EventStreamHandlers): Promise<void> {
    if (this.#closing) throw new ClientClosedError();
    if (this.#handlers) throw new ListeningAlreadyActiveError();
    this.#handlers = handlers;
    this.#setStatus('connecting');
    try {
      await this.#http.request('GET', '/api/v1/auth/whoami', { signal: this.#stop.signal });
      this.#setStatus('connected');
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      const failure = asSynapError(error);
      if (failure.code === 'authentication_failed') {
        this.#stopFor(failure);
        throw failure;
      }
      this.#options.logger.warn({ err: failure }, 'event service unreachable; events will retry');
      this.#setStatus('degraded');
    }
  }

  /** Posts the event and makes sure its pair is polled; rejects with the mapped error. */
  /** `POST /v1/events` carries conversation events only: nothing to report through. */
  reportUsed(): boolean {
    return false;
  }

  async send(event: OutgoingEvent): Promise<void> {
    if (this.#closing) throw new ClientClosedError();
    if (this.#fatal) throw this.#fatal;
    // Registered before the POST: its bundle is saved, and may be polled, before the POST answers.
    if (event.conversationId && event.userId) {
      const loop = this.#loopFor(event.conversationId, event.userId, event.customerId ?? '');
      loop.expected.add(event.eventId);
      if (loop.expected.size > MAX_EXPECTED_IDS) {
        const [oldest] = loop.expected;
        if (oldest !== undefined) loop.expected.delete(oldest);
      }
    }
    const posted = this.#http.request('POST', '/v1/events', {
      body: conversationEventToJson(event),
      signal: this.#stop.signal,
    });
    this.#own(posted.then(noop, noop));
    try {
      await posted;
    } catch (error) {
      if (this.#stop.signal.aborted) throw this.#fatal ?? new ClientClosedError();
      const failure = asSynapError(error);
      if (failure.code === 'authentication_failed') this.#fail(failure);
      // A refused event (invalid input) says nothing about the stream.
      else if (failure.retryable) this.#setStatus('degraded');
      throw failure;
    }
    this.#setStatus('connected');
  }

  /** Aborts every poll and POST and waits for them; idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stop.abort();
    for (const loop of [...this.#loops.values()]) this.#stopLoop(loop);
    await Promise.all([...this.#running]);
    this.#setStatus('closed');
  }

  #loopFor(conversationId: string, userId: string, customerId: string): PollLoop {
    const key = `${conversationId}\n${userId}\n${customerId}`;
    const existing = this.#loops.get(key);
    if (existing) {
      this.#loops.delete(key);
      this.#loops.set(key, existing);
      return existing;
    }
    const loop: PollLoop = {
      key,
      conversationId,
      userId,
      customerId,
      controller: new AbortController(),
      cursor: '0',
      caughtUp: false,
      expected: new Set(),
    };
    this.#loops.set(key, loop);
    const [leastRecent] = this.#loops.values();
    if (this.#loops.size > this.#options.maxConversations && leastRecent) {
      this.#stopLoop(leastRecent);
    }
    this.#own(
      this.#poll(loop).catch((error: unknown) => {
        this.#options.logger.warn({ err: error }, 'bundle poll loop failed');
        this.#stopLoop(loop);
      }),
    );
    return loop;
  }

  async #poll(loop: PollLoop): Promise<void> {
    const { waitMs, requestTimeoutMs, logger } = this.#options;
    const backoff = new ReconnectBackoff(this.#options.backoff);
    const signal = loop.controller.signal;
    // After a failure the next poll answers at once, so a recovery shows without
    // waiting out a long-poll.
    let recovering = false;
    while (!signal.aborted) {
      const wait = loop.caughtUp && !recovering ? waitMs : 0;
      const query = new URLSearchParams({
        conversation_id: loop.conversationId,
        user_id: loop.userId,
        ...(loop.customerId ? { customer_id: loop.customerId } : {}),
        cursor: loop.cursor,
        wait_ms: String(wait),
      });
      const startedAt = Date.now();
      let page: Page | undefined;
      try {
        const answer = await this.#http.request('GET', `/v1/bundles/next?${query}`, {
          signal,
          timeoutMs: wait + requestTimeoutMs,
        });
        page = readPage(answer);
        if (!page) {
          throw new ServiceUnavailableError({
            message: 'bundle poll answer is not {bundles, next_cursor}',
          });
        }
      } catch (error) {
        if (signal.aborted) return;
        const failure = asSynapError(error);
        if (failure.code === 'authentication_failed') {
          this.#fail(failure);
          return;
        }
        if (!failure.retryable) {
          logger.warn({ err: failure }, 'bundle poll refused; this conversation is not polled');
          this.#stopLoop(loop);
          return;
        }
        const limited = failure instanceof RateLimitError;
        this.#pollFailed(limited);
        recovering = true;
        logger.warn({ err: failure }, 'bundle poll failed; retrying');
        await backoff.wait(signal, limited ? (failure.retryAfterMs ?? 0) : 0);
        continue;
      }
      backoff.reset();
      recovering = false;
      this.#failedPolls = 0;
      this.#failingSince = undefined;
      this.#setStatus('connected');
      const moved = page.nextCursor !== loop.cursor;
      loop.cursor = page.nextCursor;
      for (const json of page.bundles) this.#deliver(loop, json);
      if (moved) continue;
      loop.caughtUp = true;
      // A server that answers an empty long-poll at once must not make us spin.
      if (wait > 0 && Date.now() - startedAt < wait / 10) await backoff.wait(signal);
    }
  }

  #pollFailed(rateLimited: boolean): void {
    this.#failedPolls += 1;
    const now = Date.now();
    this.#failingSince ??= now;
    const degraded =
      rateLimited ||
      this.#failedPolls >= this.#options.degradedAfterAttempts ||
      now - this.#failingSince >= this.#options.degradedAfterMs;
    if (degraded) this.#setStatus('degraded');
    else if (this.#status !== 'degraded') this.#setStatus('reconnecting');
  }

  #deliver(loop: PollLoop, json: unknown): void {
    let bundle: ContextBundle;
    try {
      bundle = contextBundleFromJson(json);
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'polled bundle does not parse; skipped');
      return;
    }
    const answered = bundle.inReplyToEventId;
    if (!loop.caughtUp && !(answered && loop.expected.has(answered))) return;
    this.#emit('bundle', (handlers) => handlers.bundle(bundle));
  }

  #stopLoop(loop: PollLoop): void {
    loop.controller.abort();
    if (this.#loops.get(loop.key) === loop) this.#loops.delete(loop.key);
  }

  /** Keeps `work` (which must not reject) until it settles, so close() can await it. */
  #own(work: Promise<void>): void {
    this.#running.add(work);
    void work.then(() => this.#running.delete(work));
  }

  /** A key refused once open: everything stops, and `handlers.fatal` is told once. */
  #fail(error: SynapError): void {
    if (this.#fatal || this.#stop.signal.aborted) return;
    this.#stopFor(error);
    this.#emit('fatal', (handlers) => handlers.fatal(error));
  }

  #stopFor(error: SynapError): void {
    this.#fatal = error;
    this.#stop.abort();
    for (const loop of [...this.#loops.values()]) this.#stopLoop(loop);
    this.#setStatus('closed');
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

interface Page {
  bundles: unknown[];
  nextCursor: string;
}

function readPage(answer: unknown): Page | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { bundles, next_cursor: nextCursor } = answer as Record<string, unknown>;
  if (!Array.isArray(bundles)) return undefined;
  if (typeof nextCursor !== 'string' && typeof nextCursor !== 'number') return undefined;
  return { bundles, nextCursor: String(nextCursor) };
}

/** HttpClient maps every service failure; anything else (an abort reason) is a network fault. */
function asSynapError(error: unknown): SynapError {
  return SynapError.isInstance(error) ? error : errorFromNetwork(error, false);
}

function noop(): void {}
