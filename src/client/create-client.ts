import { AnticipationCache, type CachedBundle } from './anticipation-cache.js';
import {
  type ClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from './client-options.js';
import { fetchContext } from './context-fetch-api.js';
import { ConversationApi } from './conversation-api.js';
import { ClientClosedError } from './errors.js';
import type { EventStream } from './event-stream.js';
import { HttpClient } from './http-client.js';
import { InFlight } from './in-flight.js';
import { InstanceApi } from './instance-api.js';
import { Outbox } from './outbox/outbox.js';
import type { OutboxFlushResult, OutboxStats } from './outbox/outbox-stats.js';
import type { FetchInput, FetchResult, RecordMessageInput, WaitForResult } from './types.js';

/**
 * What `client.flush()` and `client.close()` answer: the tracked calls (`settled`,
 * `pending`) and the outbox's records (`delivered`, `failed` and `dropped` since the
 * previous flush or close answered; `undelivered`: still held at the deadline).
 */
export interface ClientFlushResult extends OutboxFlushResult {
  /** Calls in flight (recordMessage, fetch, sendMessage, ...) that settled in time. */
  settled: number;
  /** Calls still in flight at the deadline. */
  pending: number;
}

/** `client.outbox`: record turns without waiting for the network. */
export interface ClientOutbox {
  /**
   * Queues one record or several and returns at once (no network on this path); they
   * are sent in batches in the background, retried on transient failures, in order.
   * Throws `InvalidInputError` naming the field and rule when a record is invalid
   * (then nothing of this call is queued), `ClientClosedError` after `close()`.
   */
  enqueue(input: RecordMessageInput | RecordMessageInput[]): void;
  /** Held, delivered, failed, dropped, retried and spooled counts. */
  stats(): OutboxStats;
}

export interface ForesightClient {
  /** Recording and compaction over REST: each call waits for the service. */
  readonly conversation: ConversationApi;
  /** Recording in the background: batched, retried, bounded, optionally spooled to disk. */
  readonly outbox: ClientOutbox;
  readonly context: {
    /** Context for one scope, over REST (a network round trip). */
    fetch(
      input: FetchInput,
      options?: { signal?: AbortSignal; timeoutMs?: number },
    ): Promise<FetchResult>;
    /** The freshest cached bundle for a conversation: synchronous, no network. */
    peek(key: { conversationId: string; userId?: string }): CachedBundle | undefined;
    /**
     * Resolves when the bundle answering `afterEvent` (an id from `sendMessage`) arrives,
     * or with `{status: 'timeout'}` after `timeoutMs`. Never rejects.
     */
    waitFor(options: {
      conversationId: string;
      afterEvent: string;
      timeoutMs: number;
      signal?: AbortSignal;
    }): Promise<WaitForResult>;
  };
  /** The event stream: listen, sendMessage, stopListening. */
  readonly instance: InstanceApi;
  /**
   * Sends what the outbox holds and waits for it and for the calls in flight, at most
   * `timeoutMs` (default 5000); never rejects. Concurrent calls share one flush. In a
   * serverless function, hand it to the platform so the response need not wait:
   * `waitUntil(client.flush({ timeoutMs: 2_000 }))` (Vercel, Cloudflare) or Next.js
   * `after(() => client.flush())`.
   */
  flush(options?: { timeoutMs?: number }): Promise<ClientFlushResult>;
  /**
   * Flushes (at most `timeoutMs`, default 5000), stops listening, wakes waiters with
   * `closed`, and refuses later calls. Records still undelivered then are lost without
   * a spool; with `outbox.spoolDir` they stay in the journal and the next client
   * created with the same `spoolDir` sends them. Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<ClientFlushResult>;
  /** The options in force, after env and defaults. */
  readonly options: Readonly<Omit<ResolvedClientOptions, 'apiKey'>>;
}

/**
 * A client of the Synap protocol: against Foresight's own server or the hosted Synap
 * platform. Options fall back to `FORESIGHT_*` env variables (see `ClientOptions`).
 *
 * @example
 * const client = createClient({ url: 'http://127.0.0.1:8420', apiKey: process.env.FORESIGHT_API_KEY });
 * await client.instance.listen();
 * const eventId = await client.instance.sendMessage({ eventType: 'tool_call', conversationId, userId, toolName: 'book_flight', toolArgs: { destination: 'Lisbon' } });
 * const result = await client.context.waitFor({ conversationId, afterEvent: eventId, timeoutMs: 50 });
 */
export function createClient(options: ClientOptions = {}): ForesightClient {
  const resolved = resolveClientOptions(options);
  const inFlight = new InFlight();
  const http = new HttpClient({
    baseUrl: resolved.url,
    apiKey: resolved.apiKey,
    timeoutMs: resolved.timeoutMs,
    ...(resolved.clientId ? { clientId: resolved.clientId } : {}),
    ...(resolved.instanceId ? { instanceId: resolved.instanceId } : {}),
  });
  const cache = new AnticipationCache(resolved.cache);
  const instance = new InstanceApi({
    openStream: () => openStream(resolved),
    cache,
    inFlight,
    logger: resolved.logger,
  });
  const conversation = new ConversationApi(http);
  const outbox = new Outbox({
    options: resolved.outbox,
    send: (records, { signal }) => conversation.recordMessages(records, { signal }),
    logger: resolved.logger,
  });
  let closed: Promise<ClientFlushResult> | undefined;
  let flushing: Promise<ClientFlushResult> | undefined;
  const guard = <T>(work: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(new ClientClosedError()) : inFlight.track(work());

  const { apiKey: _secret, ...visible } = resolved;
  return {
    conversation: trackMethods(conversation, guard),
    context: {
      fetch: (input, callOptions) => guard(() => fetchContext(http, input, callOptions)),
      peek: (key) => cache.peek(key),
      waitFor: (waitOptions) => cache.waitFor(waitOptions),
    },
    outbox: {
      enqueue: (input) => outbox.enqueue(input),
      stats: () => outbox.stats(),
    },
    instance,
    flush({ timeoutMs = 5000 } = {}) {
      flushing ??= Promise.all([inFlight.settle(timeoutMs), outbox.flush(timeoutMs)])
        .then(([calls, records]) => ({ ...calls, ...records }))
        .finally(() => {
          flushing = undefined;
        });
      return flushing;
    },
    close({ timeoutMs = 5000 } = {}) {
      closed ??= (async () => {
        const [calls, records] = await Promise.all([
          inFlight.settle(timeoutMs),
          outbox.close(timeoutMs),
        ]);
        await instance.close();
        cache.close();
        return { ...calls, ...records };
      })();
      return closed;
    },
    options: Object.freeze(visible),
  };
}

/** Loads only the chosen transport: an HTTP-only runtime never loads grpc-js. */
async function openStream(options: ResolvedClientOptions): Promise<EventStream> {
  const { initialDelayMs, maxDelayMs, degradedAfterAttempts, degradedAfterMs } = options.reconnect;
  const common = {
    apiKey: options.apiKey,
    logger: options.logger,
    backoff: { initialMs: initialDelayMs, maxMs: maxDelayMs },
    degradedAfterAttempts,
    degradedAfterMs,
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  };
  if (options.transport === 'http') {
    const { HttpEventStream } = await import('./http-event-stream.js');
    return new HttpEventStream({ baseUrl: options.url, ...common });
  }
  const { GrpcEventStream } = await import('./grpc-event-stream.js');
  return new GrpcEventStream({
    target: options.grpcTarget,
    tls: options.grpcTls,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    deadAfterMs: options.deadStreamMs,
    ...common,
  });
}

/** Wraps every method of an API object so its calls are tracked and refused after close. */
function trackMethods<T extends object>(
  api: T,
  guard: <R>(work: () => Promise<R>) => Promise<R>,
): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => guard(() => value.apply(target, args));
    },
  });
}
