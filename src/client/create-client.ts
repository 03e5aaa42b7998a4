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
import type { FetchInput, FetchResult, WaitForResult } from './types.js';

export interface ForesightClient {
  /** Recording and compaction over REST. */
  readonly conversation: ConversationApi;
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
  /** Waits for calls in flight, at most `timeoutMs` (default 5000). */
  flush(options?: { timeoutMs?: number }): Promise<{ settled: number; pending: number }>;
  /** Flushes, stops listening, wakes waiters with `closed`, refuses later calls. Idempotent. */
  close(options?: { timeoutMs?: number }): Promise<{ settled: number; pending: number }>;
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
  let closed: Promise<{ settled: number; pending: number }> | undefined;
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
    instance,
    flush: ({ timeoutMs = 5000 } = {}) => inFlight.settle(timeoutMs),
    close({ timeoutMs = 5000 } = {}) {
      closed ??= (async () => {
        const result = await inFlight.settle(timeoutMs);
        await instance.close();
        cache.close();
        return result;
      })();
      return closed;
    },
    options: Object.freeze(visible),
  };
}

/** Loads only the chosen transport: an HTTP-only runtime never loads grpc-js. */
async function openStream(options: ResolvedClientOptions): Promise<EventStream> {
  const common = {
    apiKey: options.apiKey,
    logger: options.logger,
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
