import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Anticipator } from '../../engine/anticipator.js';
import { contextBundleToJson } from '../../protocol/bundle-codec.js';
import type { ContextBundle } from '../../protocol/context-bundle.js';
import type { NewEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import {
  ATTRIBUTE,
  endWithError,
  SPAN,
  type Span,
  startChildSpan,
  startEventSpan,
} from '../../telemetry/index.js';
import type { AuthContext } from '../api-keys.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import type { BundleHub } from './bundle-hub.js';
import {
  type ConversationEventInput,
  parseConversationEvent,
  RETRIEVAL_EVENT_TYPES,
} from './conversation-event.js';
import { EventWriter } from './event-writer.js';

export type EventTransport = 'grpc' | 'http';

export interface EventProcessorOptions {
  store: Store;
  anticipator: Anticipator;
  hub: BundleHub;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Id of an event that brought no `metadata.event_id`. Default: a random UUID. */
  newId?: () => string;
  now?: () => Date;
  /** How long an event's rows may wait to be written in a batch, ms (EventWriter). Default 10. */
  writeDelayMs?: number;
}

/** The outcome of one event: its id, and the bundle when the event type builds one. */
export interface HandledEvent {
  eventId: string;
  bundle?: ContextBundle;
}

/** A Listen `ContextUsed` in its wire (snake_case) shape: ids only. */
export interface ContextUsedWire {
  bundle_id: string;
  user_id: string;
  customer_id: string;
  served_item_ids: string[];
  source_bundle_ids: string[];
}

/** Bundles one report may name (its own and the merged ones'). */
const MAX_REPORTED_BUNDLES = 8;

/** A Listen `SessionControl` in its wire (snake_case) shape. */
export interface SessionControlWire {
  action: string;
  session_id?: string | null;
  conversation_id?: string | null;
  user_id?: string | null;
  customer_id?: string | null;
}

const MAX_EVENT_ID_CHARS = 128;
/** Queued rows past which a stream waits for its own to be written. */
const MAX_WRITE_BACKLOG = 5000;

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
  readonly #anticipator: Anticipator;
  readonly #store: Store;
  readonly #hub: BundleHub;
  readonly #metrics: ServerMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #newId: () => string;
  readonly #now: () => Date;
  readonly #writer: EventWriter;

  constructor(options: EventProcessorOptions) {
    this.#anticipator = options.anticipator;
    this.#store = options.store;
    this.#hub = options.hub;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#newId = options.newId ?? randomUUID;
    this.#now = options.now ?? (() => new Date());
    this.#writer = new EventWriter({
      store: options.store,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.writeDelayMs !== undefined ? { delayMs: options.writeDelayMs } : {}),
    });
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
    // With an OpenTelemetry SDK registered: the event's span, child of the sender's.
    const span = startEventSpan(input, eventId, transport);
    try {
      const handled = await this.#handleEvent(auth, input, eventId, transport, span, deliver);
      span?.end();
      return handled;
    } catch (error) {
      if (span) endWithError(span, error);
      throw error;
    }
  }

  async #handleEvent(
    auth: AuthContext,
    input: ReturnType<typeof parseConversationEvent>,
    eventId: string,
    transport: EventTransport,
    span: Span | undefined,
    deliver?: (bundle: ContextBundle) => void,
  ): Promise<HandledEvent> {
    const urgent = transport === 'http';
    const row = this.#eventRow(eventId, input);
    if (!RETRIEVAL_EVENT_TYPES.has(input.eventType)) {
      await this.#settled(this.#writer.write(auth.clientId, { event: row }, { urgent }), transport);
      return { eventId };
    }
    // The bundle is what the agent waits for: it goes out as soon as it is built, and
    // the rows (the event, the bundle) are written behind it (EventWriter).
    const retrieval = startChildSpan(SPAN.retrieval, span);
    const built = await this.#anticipator.anticipate(auth.clientId, { ...input, eventId }).then(
      (bundle) => ({ bundle }),
      (error: unknown) => ({ error }),
    );
    if (retrieval && 'bundle' in built) {
      const items = Object.values(built.bundle.itemsByType);
      retrieval.setAttributes({
        [ATTRIBUTE.bundleId]: built.bundle.bundleId,
        [ATTRIBUTE.bundleItems]: items.reduce((total, list) => total + (list?.length ?? 0), 0),
        [ATTRIBUTE.bundleTokens]: built.bundle.totalTokens,
        [ATTRIBUTE.retrievalMs]: built.bundle.retrievalTimeMs,
      });
      retrieval.end();
    } else if (retrieval && 'error' in built) endWithError(retrieval, built.error);
    if ('error' in built) {
      // The event still happened: its row is kept.
      await this.#writer
        .write(auth.clientId, { event: row }, { urgent: true })
        .catch(() => undefined);
      throw built.error;
    }
    const { bundle } = built;
    const push = deliver
      ? startChildSpan(SPAN.bundlePush, span, { [ATTRIBUTE.bundleId]: bundle.bundleId })
      : undefined;
    deliver?.(bundle);
    push?.end();
    const written = this.#writer.write(
      auth.clientId,
      {
        event: row,
        bundle: {
          id: bundle.bundleId,
          conversationId: input.conversationId,
          userId: input.userId,
          customerId: bundle.anticipationCustomerId,
          inReplyToEventId: eventId,
          bundleType: bundle.bundleType,
          payload: contextBundleToJson(bundle),
          retrievalMs: bundle.retrievalTimeMs,
        },
        // HTTP pollers read bundles from the store: they hear of it once it is there.
        stored: () =>
          this.#hub.publish(auth.clientId, input.conversationId, {
            userId: input.userId,
            bundleId: bundle.bundleId,
          }),
      },
      { urgent },
    );
    await this.#settled(written, transport);
    this.#logger?.debug(
      { clientId: auth.clientId, eventId, bundleId: bundle.bundleId, transport },
      'bundle built',
    );
    return { eventId, bundle };
  }

  /** Writes every row still queued: the server calls it on close, after the transports. */
  drain(): Promise<void> {
    return this.#writer.flush();
  }

  /**
   * An HTTP caller waits for its rows to be stored. A stream goes on at once (its bundle
   * is out; a failed write is logged by the writer), unless the writer has fallen this
   * far behind, when the stream waits too: the backlog stays bounded.
   */
  #settled(written: Promise<void>, transport: EventTransport): Promise<void> {
    if (transport === 'http' || this.#writer.backlog > MAX_WRITE_BACKLOG) return written;
    written.catch(() => undefined);
    return Promise.resolve();
  }

  /**
   * A Listen `ContextUsed`: the client used these items of a bundle it was served.
   * Counted per user and tool (store `recordItemUsage`) for ranking to learn from. Ids
   * only, and lenient as the clients that send it are: a report naming a merged bundle
   * (Synap's cache answers `anticipation_merged_<n>`) counts against its
   * `source_bundle_ids`; empty user or customer ids mean the bundle's own. A report that
   * names nothing this client was served counts nothing and is no error. Answers how
   * many items were counted.
   */
  async handleContextUsed(auth: AuthContext, used: ContextUsedWire): Promise<number> {
    const bundleIds = [used.bundle_id, ...used.source_bundle_ids]
      .map((id) => id.trim())
      .filter((id) => id !== '')
      .slice(0, MAX_REPORTED_BUNDLES);
    const itemIds = used.served_item_ids.filter((id) => id !== '');
    if (bundleIds.length === 0 || itemIds.length === 0) return 0;
    const userId = used.user_id.trim();
    const customerId = used.customer_id.trim();
    const record = async () => {
      let counted = 0;
      for (const bundleId of bundleIds) {
        counted += await this.#store.recordItemUsage(auth.clientId, {
          bundleId,
          userId,
          customerId,
          itemIds,
        });
      }
      return counted;
    };
    let counted = await record();
    if (counted === 0) {
      // The bundle's row is written behind the bundle: a fast client reports before it
      // is there. Once what is queued is written, the report counts (or truly not).
      await this.#writer.flush();
      counted = await record();
    }
    if (counted > 0) this.#anticipator.usageRecorded?.(auth.clientId, { userId, customerId });
    return counted;
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

  #eventRow(eventId: string, input: ConversationEventInput): NewEvent {
    return {
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
    };
  }
}
