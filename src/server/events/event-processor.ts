import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Anticipator } from '../../engine/anticipator.js';
import { contextBundleToJson } from '../../protocol/bundle-codec.js';
import type { ContextBundle } from '../../protocol/context-bundle.js';
import type { Store } from '../../store/store.js';
import type { AuthContext } from '../api-keys.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import type { BundleHub } from './bundle-hub.js';
import {
  type ConversationEventInput,
  parseConversationEvent,
  RETRIEVAL_EVENT_TYPES,
} from './conversation-event.js';

export type EventTransport = 'grpc' | 'http';

/**
 * Resolves after the event loop has gone once around: a bundle just written to a stream
 * has then reached its socket (http2 flushes in the loop's check phase), and a client in
 * this process has read it (the next poll phase). PGlite runs statements synchronously on
 * this thread, so writing the event row at once held the bundle back for as long as the
 * write took (measured: 0.9 ms from delivery to the client's arrival, 0.2 ms after this).
 */
function bundleOnItsWay(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export interface EventProcessorOptions {
  store: Store;
  anticipator: Anticipator;
  hub: BundleHub;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Id of an event that brought no `metadata.event_id`. Default: a random UUID. */
  newId?: () => string;
  now?: () => Date;
}

/** The outcome of one event: its id, and the bundle when the event type builds one. */
export interface HandledEvent {
  eventId: string;
  bundle?: ContextBundle;
}

/** A Listen `SessionControl` in its wire (snake_case) shape. */
export interface SessionControlWire {
  action: string;
  session_id?: string | null;
  conversation_id?: string | null;
  user_id?: string | null;
  customer_id?: string | null;
}

const MAX_EVENT_ID_CHARS = 128;

// Known types are metric labels as they are; anything else is 'other', so a client
// cannot grow the label set without bound.
const KNOWN_TYPES = new Set([
  'user_message',
  'assistant_message',
  'tool_call',
  'tool_result',
  'context_request',
  'session_start',
  'session_end',
  'agent_thinking',
  'context_fetch',
]);

/**
 * The transport-independent core of the event path, shared by the Listen stream and
 * `POST /v1/events`: validate, record, and for `tool_call`, `user_message` and
 * `context_request` anticipate, save the bundle and announce it on the hub. Unknown
 * event types are recorded and answered without a bundle. Throws `ServerError`
 * (`invalid_input` naming the field) for a bad event; the caller decides how to say so.
 */
export class EventProcessor {
  readonly #store: Store;
  readonly #anticipator: Anticipator;
  readonly #hub: BundleHub;
  readonly #metrics: ServerMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #newId: () => string;
  readonly #now: () => Date;

  constructor(options: EventProcessorOptions) {
    this.#store = options.store;
    this.#anticipator = options.anticipator;
    this.#hub = options.hub;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#newId = options.newId ?? randomUUID;
    this.#now = options.now ?? (() => new Date());
  }

  /** `event` is the wire (snake_case) shape: a JSON body, or a mapped proto message. */
  /**
   * `deliver`, when given, gets the bundle as soon as it is built, before it is saved:
   * the stream writes it at once, and the save (which only the HTTP path and replays
   * need) no longer sits on the agent's wait.
   */
  async handle(
    auth: AuthContext,
    event: unknown,
    transport: EventTransport,
    deliver?: (bundle: ContextBundle) => void,
  ): Promise<HandledEvent> {
    const input = parseConversationEvent(event, { clientMode: auth.clientMode });
    const eventId = input.metadata.event_id?.trim() || this.#newId();
    if (eventId.length > MAX_EVENT_ID_CHARS) {
      throw ServerError.invalid(
        'metadata.event_id',
        `must be at most ${MAX_EVENT_ID_CHARS} characters`,
      );
    }
    this.#metrics?.streamEvents.inc({
      transport,
      event_type: KNOWN_TYPES.has(input.eventType) ? input.eventType : 'other',
    });
    if (!RETRIEVAL_EVENT_TYPES.has(input.eventType)) {
      await this.#record(auth.clientId, eventId, input);
      return { eventId };
    }
    // Retrieval does not need the event row, and the bundle is what the agent waits
    // for: the row is written once the bundle is built and sent (on PGlite, statements
    // run one at a time, in the order they are issued, so a row written first made
    // every retrieval wait for it). It is still written, and awaited, before the event
    // counts as handled.
    const built = await this.#anticipator.anticipate(auth.clientId, { ...input, eventId }).then(
      (bundle) => ({ bundle }),
      (error: unknown) => ({ error }),
    );
    if ('bundle' in built && deliver) {
      deliver(built.bundle);
      await bundleOnItsWay();
    }
    await this.#record(auth.clientId, eventId, input);
    if ('error' in built) throw built.error;
    const { bundle } = built;
    await this.#store.saveBundle(auth.clientId, {
      id: bundle.bundleId,
      conversationId: input.conversationId,
      userId: input.userId,
      customerId: bundle.anticipationCustomerId,
      inReplyToEventId: eventId,
      bundleType: bundle.bundleType,
      payload: contextBundleToJson(bundle),
      retrievalMs: bundle.retrievalTimeMs,
    });
    this.#hub.publish(auth.clientId, input.conversationId, {
      userId: input.userId,
      bundleId: bundle.bundleId,
    });
    this.#logger?.debug(
      { clientId: auth.clientId, eventId, bundleId: bundle.bundleId, transport },
      'bundle saved',
    );
    return { eventId, bundle };
  }

  /** A Listen `SessionControl` is recorded as a `session_start` / `session_end` event. */
  async handleSessionControl(
    auth: AuthContext,
    control: SessionControlWire,
    transport: EventTransport,
  ): Promise<HandledEvent> {
    const action = control.action.trim().toLowerCase();
    if (action !== 'start' && action !== 'end') {
      throw ServerError.invalid('action', 'must be "start" or "end"');
    }
    return this.handle(
      auth,
      {
        event_type: `session_${action}`,
        conversation_id: control.conversation_id,
        user_id: control.user_id,
        customer_id: control.customer_id,
        session_id: control.session_id,
      },
      transport,
    );
  }

  #record(clientId: string, eventId: string, input: ConversationEventInput): Promise<void> {
    return this.#store.recordEvent(clientId, {
      id: eventId,
      conversationId: input.conversationId,
      userId: input.userId,
      customerId: input.customerId,
      sessionId: input.sessionId,
      eventType: input.eventType,
      role: input.role,
      content: input.content,
      toolName: input.toolName,
      toolArgs: input.toolArgs,
      searchQueries: input.searchQueries,
      contextTypes: input.contextTypes,
      metadata: input.metadata,
      occurredAt: input.timestampMs === null ? this.#now() : new Date(input.timestampMs),
    });
  }
}
