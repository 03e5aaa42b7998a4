import type { ForesightClient } from '../client/create-client.js';
import { defaultClient } from '../client/default-client.js';
import type { ForesightLogger } from '../client/logger.js';
import type { CallContext } from './call-context.js';
import type { ConversationIdentity } from './conversation-identity.js';
import { ConversationTracker } from './conversation-tracker.js';
import { DEFAULT_AWAIT_CONTEXT_MS } from './defaults.js';

/** Token budget of an injected context block when an adapter is not told otherwise. */
export const DEFAULT_CONTEXT_TOKENS = 1000;

/** The options every adapter takes about its tracker (each documents its own identity sources). */
export interface AdapterTrackerOptions {
  identity?: Partial<ConversationIdentity>;
  /**
   * Share a tracker with other adapters (one dedupe state); its own identity and logger
   * then apply. Default: a tracker of the adapter's own.
   */
  tracker?: ConversationTracker;
  /** Where the first failure of each kind goes. Ignored with `tracker`. Default: the client's logger. */
  logger?: ForesightLogger;
  /**
   * Start the client's event stream (`instance.listen`) when the adapter is made, in the
   * background: events go out and bundles come back with no `listen()` call of your own
   * (calling it yourself stays valid). The stream reconnects by itself and does not keep
   * the process alive. `false`: the application decides when to listen. Ignored with
   * `tracker`. Default true.
   */
  listen?: boolean;
}

/** The options of the adapters that inject context into a prompt. */
export interface InjectionOptions {
  /**
   * How long a model call may wait for the bundle answering the last event (a tool call, a
   * user turn) when it is still in flight, ms. Default 2000 (`DEFAULT_AWAIT_CONTEXT_MS`; nothing is waited while the stream is down); 0
   * reads the cache and goes on.
   */
  awaitContextMs?: number;
  /** Token budget of the injected context block (4 characters a token). Default 1000. */
  maxContextTokens?: number;
  /**
   * Told what each model call got: the block, its bundle, how stale it was, how long the
   * call waited and whether the last event's bundle was anticipated in time
   * (`anticipation`). Synchronous, on the model call's path: keep it cheap. A hook that
   * throws is counted as an `adapter` failure, never thrown into the call. Default none;
   * the logger's `debug`, when it has one, hears the same.
   */
  onContext?: (context: CallContext) => void;
}

/**
 * The given tracker, or a new one with the adapter's identity and logger on the client:
 * the given one, else the process default client (`defaultClient()`, built from env on
 * first use). It starts the client's stream unless `listen: false`.
 */
export function trackerFor(
  client: ForesightClient | undefined,
  options: AdapterTrackerOptions,
): ConversationTracker {
  return (
    options.tracker ??
    new ConversationTracker({
      client: client ?? defaultClient(),
      identity: options.identity ?? {},
      listen: options.listen ?? true,
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    })
  );
}

/**
 * An adapter's two call forms, `(client, options)` and `(options)`, as one pair: the
 * client (`undefined`: the default client, made only when a tracker is made) and options.
 */
export function adapterArguments<O extends object>(
  clientOrOptions: ForesightClient | O | undefined,
  options: O | undefined,
): { client: ForesightClient | undefined; options: O } {
  if (isClient(clientOrOptions)) return { client: clientOrOptions, options: options ?? ({} as O) };
  return { client: undefined, options: clientOrOptions ?? options ?? ({} as O) };
}

/** A `ForesightClient` by shape (a copy of the package may have made it). */
export function isClient(value: unknown): value is ForesightClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ForesightClient, unknown>>;
  return (
    typeof candidate.instance === 'object' &&
    typeof candidate.outbox === 'object' &&
    typeof candidate.flush === 'function'
  );
}

/** `contextForCall` options from an adapter's, resolved once; applied per call so they hold with a shared tracker. */
export function contextOptionsFor(options: InjectionOptions): {
  awaitContextMs: number;
  maxTokens: number;
  onContext?: (context: CallContext) => void;
} {
  return {
    awaitContextMs: options.awaitContextMs ?? DEFAULT_AWAIT_CONTEXT_MS,
    maxTokens: options.maxContextTokens ?? DEFAULT_CONTEXT_TOKENS,
    ...(options.onContext !== undefined ? { onContext: options.onContext } : {}),
  };
}
