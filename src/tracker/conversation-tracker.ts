import { LRUCache } from 'lru-cache';
import type { ForesightClient } from '../client/create-client.js';
import { MAX_CONTENT_CHARS } from '../client/input-schemas.js';
import type { ForesightLogger } from '../client/logger.js';
import type { OutboxStats } from '../client/outbox/outbox-stats.js';
import type { RecordMessageInput, SendMessageInput } from '../client/types.js';
import type { ContextBundle } from '../protocol/context-bundle.js';
import { traceModelCall } from '../telemetry/index.js';
import { type CallContext, type LastEvent, readCallContext } from './call-context.js';
import { formatContext, stripContext } from './context-block.js';
import { ContextCalls } from './context-calls.js';
import {
  type ConversationIdentity,
  isEmptyOverride,
  type ResolvedIdentity,
  resolveIdentity,
} from './conversation-identity.js';
import { DEFAULT_AWAIT_CONTEXT_MS } from './defaults.js';
import {
  fingerprintMessages,
  type MessageFingerprint,
  memoizedContentHash,
  type TrackedMessage,
} from './message-fingerprint.js';
import { ObservedHistories } from './observed-history.js';
import { OwnedCalls } from './owned-calls.js';
import { SeenKeys } from './seen-keys.js';
import { ServiceHealth } from './service-health.js';
import { toolCallEvent, toolResultEvent } from './tool-payload.js';
import type {
  IdentityOverride,
  ToolCallInput,
  ToolResultInput,
  TrackerStats,
} from './tracker-inputs.js';

/** Options of a {@link ConversationTracker}. */
export interface ConversationTrackerOptions {
  client: ForesightClient;
  /**
   * Whose conversation; each call may override fields (`identity` on the call). When it
   * names no conversation or user, every call must complete it, else the call is
   * refused and counted as an `input` failure.
   */
  identity: Partial<ConversationIdentity>;
  /** Default bound of `contextForCall`'s wait for an in-flight bundle, ms. Default 2000 (`DEFAULT_AWAIT_CONTEXT_MS`). */
  awaitContextMs?: number;
  /** Token budget of the context block (4 characters a token). Default 1000. */
  maxContextTokens?: number;
  /** Message and tool-call keys remembered for dedupe, oldest out first. Default 10 000. */
  maxRememberedKeys?: number;
  /** Bound of `flush()`, ms. Default 5000. */
  flushTimeoutMs?: number;
  /**
   * Where the first failure of each kind is reported, and each change of `stats().status`.
   * Default: the client's logger.
   */
  logger?: ForesightLogger;
  /** The clock, ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Start the client's event stream now, in the background (`instance.listenInBackground()`),
   * so events go out and bundles come back without a `listen()` of the application's own.
   * Default false here; the adapters pass true unless told `listen: false`.
   */
  listen?: boolean;
}

/** Options of `contextForCall` and `readContext`. */
export type ContextCallOptions = IdentityOverride & {
  awaitContextMs?: number;
  maxTokens?: number;
  /** Told what the call got (see `InjectionOptions.onContext`). */
  onContext?: (context: CallContext) => void;
};

const MAX_TRACKED_CONVERSATIONS = 1000;
const MAX_BATCH = 500;

/**
 * The bookkeeping every adapter shares: records each new user and assistant turn once,
 * however often an agent loop re-sends the history; tells the service about user turns,
 * tool calls and tool results as they happen; and reads the context for the next model
 * call from the client's cache. Every network call is owned (`flush()` awaits it) and
 * fail-open: nothing here throws into the agent; failures are counted in `stats()`.
 *
 * @example
 * const tracker = new ConversationTracker({ client, identity: { threadId: 'chat-42', userId: 'alice' } });
 * tracker.observeMessages(messages);
 * const { block } = await tracker.contextForCall({ awaitContextMs: 50 });
 */
export class ConversationTracker {
  readonly #client: ForesightClient;
  readonly #base: Partial<ConversationIdentity>;
  readonly #resolved: ResolvedIdentity | undefined;
  readonly #calls: OwnedCalls;
  readonly #health: ServiceHealth;
  readonly #contextCalls: ContextCalls;
  readonly #seen: SeenKeys;
  readonly #lastEvents = new Map<string, LastEvent>();
  readonly #histories = new ObservedHistories(MAX_TRACKED_CONVERSATIONS);
  // Formatted blocks by bundle and budget: a bundle does not change once cached, and
  // every model call of a turn injects the same one, so formatting it once keeps the
  // per-call path to a lookup.
  readonly #blocks = new LRUCache<string, string>({ max: 256 });
  readonly #hashOf = memoizedContentHash(1024);
  readonly #options: Required<
    Omit<ConversationTrackerOptions, 'client' | 'identity' | 'logger' | 'listen'>
  >;
  #outboxSeen = { delivered: 0, failed: 0, dropped: 0, retries: 0 };
  #recorded = 0;
  #deduped = 0;
  #eventsSent = 0;
  #eventsSkipped = 0;

  constructor(options: ConversationTrackerOptions) {
    this.#client = options.client;
    this.#base = options.identity;
    const logger = options.logger ?? options.client.options.logger;
    const instance = options.client.instance;
    this.#health = new ServiceHealth({ logger, streamStatus: () => instance.status });
    this.#contextCalls = new ContextCalls({
      health: this.#health,
      logger,
      guard: (run) => this.guard(run, undefined),
    });
    this.#calls = new OwnedCalls(logger, (kind, ok) => {
      if (kind === 'record' || kind === 'event') this.#health.outcome(kind, ok);
    });
    this.#resolved = isComplete(options.identity) ? resolveIdentity(options.identity) : undefined;
    this.#options = {
      awaitContextMs: options.awaitContextMs ?? DEFAULT_AWAIT_CONTEXT_MS,
      maxContextTokens: options.maxContextTokens ?? 1000,
      maxRememberedKeys: options.maxRememberedKeys ?? 10_000,
      flushTimeoutMs: options.flushTimeoutMs ?? 5000,
      now: options.now ?? Date.now,
    };
    this.#seen = new SeenKeys(this.#options.maxRememberedKeys);
    // At construction rather than on the first call: an adapter is made just before the
    // agent runs, and the connection (module load, TLS, the key's check) needs the head start.
    if (options.listen === true) instance.listenInBackground();
  }

  /** The identity calls use unless they override it; `undefined` when incomplete. */
  get identity(): ResolvedIdentity | undefined {
    return this.#resolved;
  }

  /**
   * Records the user and assistant messages of `messages` not recorded yet, in order
   * (dedupe: by message id when given, else by position and content hash; the service's
   * idempotency key covers a restarted process). A new user turn that ends the history
   * also goes out as a `user_message` event. Answers how many messages were queued.
   */
  observeMessages(messages: readonly TrackedMessage[], options: IdentityOverride = {}): number {
    return this.guard(() => this.#observe(messages, options), 0);
  }

  /** Sends a `user_message` event for a turn (context removed), when listening. */
  userTurn(text: string, options: IdentityOverride = {}): void {
    this.guard(() => {
      const identity = this.#identityFor(options);
      const content = stripContext(text).trim();
      if (identity === undefined || content === '') return;
      this.#send(identity, { eventType: 'user_message', role: 'user', content });
    }, undefined);
  }

  /** Sends a `tool_call` event with the exact arguments, once per `toolCallId`, when listening. */
  toolCall(input: ToolCallInput): void {
    this.guard(() => {
      const identity = this.#identityFor(input);
      if (identity && this.#once(`${identity.conversationId}:call:${input.toolCallId}`))
        this.#send(identity, toolCallEvent(input));
    }, undefined);
  }

  /** Sends a `tool_result` event (the result as text, or the error), once per `toolCallId`. */
  toolResult(input: ToolResultInput): void {
    this.guard(() => {
      const identity = this.#identityFor(input);
      if (identity && this.#once(`${identity.conversationId}:result:${input.toolCallId}`))
        this.#send(identity, toolResultEvent(input));
    }, undefined);
  }

  /**
   * The context block for the next model call, from the client's cache (no network).
   * When the bundle answering the last event this tracker sent is still in flight,
   * waits for it at most `awaitContextMs` (once per event), then goes on. Never rejects.
   */
  contextForCall(options: ContextCallOptions = {}): Promise<CallContext> {
    const context = this.readContext(options);
    return context instanceof Promise ? context : Promise.resolve(context);
  }

  /**
   * `contextForCall`, answered at once when there is nothing to wait for (the common
   * path), and as a promise only when it waits: an adapter's per-call path then costs no
   * promise and no turn of the microtask queue. Never throws nor rejects.
   */
  readContext(options: ContextCallOptions = {}): CallContext | Promise<CallContext> {
    const noted = (context: CallContext) => {
      this.#contextCalls.note(context, options.onContext);
      return context;
    };
    const read = this.#readContext(options);
    return read instanceof Promise ? read.then(noted) : noted(read);
  }

  #readContext(
    options: IdentityOverride & { awaitContextMs?: number; maxTokens?: number },
  ): CallContext | Promise<CallContext> {
    const identity = this.#identityFor(options);
    if (identity === undefined) return { block: '', waitedMs: 0, source: 'none' };
    const maxTokens = options.maxTokens ?? this.#options.maxContextTokens;
    const failed = (error: unknown): CallContext => {
      this.#calls.fail('context', error);
      return { block: '', waitedMs: 0, source: 'none' };
    };
    try {
      const lastEvent = this.#lastEvents.get(identity.conversationId);
      const read = readCallContext({
        client: this.#client,
        identity,
        lastEvent,
        awaitMs: options.awaitContextMs ?? this.#options.awaitContextMs,
        format: (bundle) => this.#formatted(bundle, maxTokens),
        now: this.#options.now,
      });
      // One span per model call when an OpenTelemetry SDK is registered (src/telemetry).
      return traceModelCall(read instanceof Promise ? read.catch(failed) : read, {
        conversationId: identity.conversationId,
        lastEventId: lastEvent?.eventId,
      });
    } catch (error) {
      return failed(error);
    }
  }

  #formatted(bundle: ContextBundle, maxTokens: number): string {
    const key = `${bundle.bundleId}:${maxTokens}`;
    let block = this.#blocks.get(key);
    if (block === undefined) {
      block = formatContext(bundle, { maxTokens });
      this.#blocks.set(key, block);
    }
    return block;
  }

  /**
   * Waits, at most `timeoutMs` (default `flushTimeoutMs`), for this tracker's calls in
   * flight and for the client's outbox to deliver what it holds. `pending` counts
   * what is still on its way at the deadline (the outbox keeps trying).
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<{ settled: number; pending: number }> {
    const timeoutMs = options.timeoutMs ?? this.#options.flushTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const calls = await this.#calls.flush(timeoutMs);
    // The outbox is the client's: other trackers may add to it while this one waits,
    // so it drains again while a round delivered something and time is left. A round
    // that delivered nothing (the service is down, or the client closed) ends the wait
    // rather than spinning on it until the deadline.
    let delivered = 0;
    let undelivered = 0;
    let progressed = true;
    while (progressed && Date.now() < deadline) {
      const outbox = await this.#client.flush({ timeoutMs: Math.max(0, deadline - Date.now()) });
      delivered += outbox.delivered;
      undelivered = outbox.undelivered;
      progressed = undelivered > 0 && outbox.delivered > 0;
    }
    this.#readOutbox();
    return { settled: calls.settled + delivered, pending: calls.pending + undelivered };
  }

  /**
   * Runs bookkeeping fail-open (the tracker's own, and adapters' around it): answers
   * `run()`'s value, or `fallback` when it throws (counted as an `adapter` failure), so
   * a framework callback never breaks the agent.
   */
  guard<T>(run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      this.#calls.fail('adapter', error);
      return fallback;
    }
  }

  /** Counters since the tracker was made, and whether the service is serving it now. */
  stats(): TrackerStats {
    const outbox = this.#readOutbox();
    const { status, reason } = this.#health.check();
    return {
      status,
      ...(reason !== undefined ? { degradedReason: reason } : {}),
      ...this.#contextCalls.counts,
      recorded: this.#recorded,
      undelivered: outbox.queued,
      deduped: this.#deduped,
      eventsSent: this.#eventsSent,
      eventsSkipped: this.#eventsSkipped,
      failures: this.#calls.failures,
      pending: this.#calls.pending,
    };
  }

  #observe(messages: readonly TrackedMessage[], options: IdentityOverride): number {
    const identity = this.#identityFor(options);
    if (identity === undefined) return 0;
    const { conversationId } = identity;
    const known = this.#histories.knownUntil(conversationId, messages);
    // The known head's turns are repeats, as their keys would have said.
    this.#deduped += known.position;
    const fresh: MessageFingerprint[] = [];
    for (const message of fingerprintMessages(conversationId, messages, this.#hashOf, known)) {
      if (this.#seen.has(message.key) || this.#seen.has(message.positionKey)) {
        this.#deduped++;
        continue;
      }
      this.#seen.add(message.key);
      this.#seen.add(message.positionKey);
      fresh.push(message);
    }
    // Before recording: a turn the outbox refuses is forgotten there, history included.
    this.#histories.remember(conversationId, messages, known);
    if (fresh.length === 0) return 0;
    for (let at = 0; at < fresh.length; at += MAX_BATCH) {
      this.#record(identity, fresh.slice(at, at + MAX_BATCH));
    }
    const last = fresh[fresh.length - 1];
    if (last?.role === 'user' && last.endsHistory) {
      this.#send(identity, { eventType: 'user_message', role: 'user', content: last.text });
    }
    return fresh.length;
  }

  #identityFor(options: IdentityOverride): ResolvedIdentity | undefined {
    if (this.#resolved !== undefined && isEmptyOverride(options.identity)) return this.#resolved;
    try {
      return resolveIdentity(this.#base, options.identity);
    } catch (error) {
      this.#calls.fail('input', error);
      return undefined;
    }
  }

  #once(key: string): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }

  /**
   * Hands the turns to the client's outbox: it batches them, retries through an outage
   * with the same idempotency keys and keeps their order, so nothing here waits on the
   * network. A turn the outbox refuses (bad input) is forgotten, so a later re-send
   * of the history may try again, and counted.
   */
  #record(identity: ResolvedIdentity, messages: MessageFingerprint[]): void {
    const rows: RecordMessageInput[] = messages.map((message) => ({
      ...identity,
      role: message.role,
      content: message.text.slice(0, MAX_CONTENT_CHARS),
      idempotencyKey: message.idempotencyKey,
    }));
    try {
      this.#client.outbox.enqueue(rows);
      this.#recorded += rows.length;
    } catch (error) {
      for (const message of messages) this.#forget(message);
      // Its history too: the next re-send is fingerprinted whole, so these turns are retried.
      this.#histories.forget(identity.conversationId);
      this.#calls.fail('input', error);
    }
  }

  /**
   * The outbox's news since the last look: a drop or a refusal is a failed recording,
   * a delivery a good one (the outbox is the client's, shared by its trackers).
   */
  #readOutbox(): OutboxStats {
    const stats = this.#client.outbox.stats();
    const { delivered, failed, dropped, retries, queued } = stats;
    const seen = this.#outboxSeen;
    if (failed + dropped > seen.failed + seen.dropped) this.#health.outcome('record', false);
    // A retry still under way: held, not lost, but not delivered either. One that has
    // since delivered everything is recovered, and counts as the success it became.
    else if (retries > seen.retries && queued > 0) this.#health.outcome('record', false);
    else if (delivered > seen.delivered) this.#health.outcome('record', true);
    this.#outboxSeen = { delivered, failed, dropped, retries };
    return stats;
  }

  #forget(message: MessageFingerprint | undefined): void {
    if (message === undefined) return;
    this.#seen.delete(message.key);
    this.#seen.delete(message.positionKey);
  }

  #send(
    identity: ResolvedIdentity,
    event: Omit<SendMessageInput, 'conversationId' | 'userId' | 'customerId' | 'sessionId'>,
  ): void {
    if (!this.#client.instance.listening) {
      this.#eventsSkipped++;
      return;
    }
    const lastEvent: LastEvent = { sent: Promise.resolve(undefined), settled: false };
    lastEvent.sent = this.#calls.run('event', async () => {
      const eventId = await this.#client.instance.sendMessage({ ...identity, ...event });
      this.#eventsSent++;
      lastEvent.eventId = eventId;
      return eventId;
    });
    const { conversationId } = identity;
    this.#lastEvents.delete(conversationId);
    this.#lastEvents.set(conversationId, lastEvent);
    if (this.#lastEvents.size > MAX_TRACKED_CONVERSATIONS) {
      const oldest = this.#lastEvents.keys().next();
      if (!oldest.done) this.#lastEvents.delete(oldest.value);
    }
  }
}

/** True when the identity names a conversation and a user: then resolved once, up front. */
function isComplete(identity: Partial<ConversationIdentity>): boolean {
  return Boolean((identity.conversationId || identity.threadId) && identity.userId);
}
