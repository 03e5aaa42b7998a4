import { randomUUID } from 'node:crypto';
import { traceEventSend } from '../telemetry/index.js';
import type { AnticipationCache } from './anticipation-cache.js';
import { ClientClosedError, ListeningNotActiveError, SynapError } from './errors.js';
import type { EventStream } from './event-stream.js';
import type { InFlight } from './in-flight.js';
import { contextUsedSchema, sendMessageSchema, validateInput } from './input-schemas.js';
import type { ForesightLogger } from './logger.js';
import type { ContextUsedInput, ListenOptions, SendMessageInput, StreamStatus } from './types.js';

/**
 * The event half of the client: `listen` opens the stream (gRPC or HTTP) that pushes
 * bundles into the anticipation cache; `sendMessage` tells the service what the agent
 * is doing and answers the event's id, which `context.waitFor` can wait on.
 */
export class InstanceApi {
  readonly #openStream: () => Promise<EventStream>;
  readonly #cache: AnticipationCache;
  readonly #inFlight: InFlight;
  readonly #logger: ForesightLogger;
  #stream: EventStream | undefined;
  #opening: Promise<void> | undefined;
  #status: StreamStatus = 'closed';
  #closed = false;
  /** The callbacks of every `listen()` since the stream opened: each call adds its own. */
  #listeners: ListenOptions[] = [];
  /** Set once `listenInBackground` ran or the user chose (listen, stopListening): it starts nothing after. */
  #decided = false;

  constructor(options: {
    openStream: () => Promise<EventStream>;
    cache: AnticipationCache;
    inFlight: InFlight;
    logger: ForesightLogger;
  }) {
    this.#openStream = options.openStream;
    this.#cache = options.cache;
    this.#inFlight = options.inFlight;
    this.#logger = options.logger;
  }

  /** `connecting`, `connected`, `reconnecting`, `degraded`, or `closed` when not listening. */
  get status(): StreamStatus {
    return this.#status;
  }

  get listening(): boolean {
    return this.#stream !== undefined || this.#opening !== undefined;
  }

  /**
   * Opens the event stream. Bundles pushed back go into the anticipation cache, then to
   * `onBundle`. Idempotent: when the stream is already open or opening (an adapter
   * starts it on first use), this call's callbacks join it and it resolves once the
   * stream is usable. Throws `AuthenticationError` when the service refuses the key.
   * A stream opened here keeps the process alive until `stopListening()` or `close()`;
   * one an adapter opened in the background does not, even once `listen()` joined it.
   */
  async listen(options: ListenOptions = {}): Promise<void> {
    if (this.#closed) throw new ClientClosedError();
    this.#decided = true;
    this.#listeners.push(options);
    if (this.#stream !== undefined) return;
    if (this.#opening !== undefined) return this.#opening;
    await this.#open(true);
  }

  /**
   * Starts listening in the background the first time it is called, unless `listen()` or
   * `stopListening()` was called already or the client is closed: what adapters call on
   * first use. Never throws nor waits; a failure to open goes to the logger. The stream it
   * opens does not keep the process alive (a short script still ends, and flushes).
   */
  listenInBackground(): void {
    if (this.#decided || this.#closed) return;
    this.#decided = true;
    this.#open(false).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn({ err: error }, `event stream could not start: ${message}`);
    });
  }

  #open(holdProcess: boolean): Promise<void> {
    const opening = (async () => {
      const stream = await this.#openStream();
      this.#setStatus('connecting');
      await stream.open(
        {
          bundle: (bundle) => {
            this.#cache.put(bundle);
            for (const listener of this.#listeners)
              this.#callback('onBundle', () => listener.onBundle?.(bundle));
          },
          signal: (signal) => {
            for (const listener of this.#listeners)
              this.#callback('onSignal', () => listener.onSignal?.(signal));
          },
          status: (status) => this.#setStatus(status),
          fatal: (error) => {
            this.#logger.warn({ err: error }, `event stream stopped: ${error.message}`);
            this.#setStatus('degraded');
          },
        },
        { holdProcess },
      );
      this.#stream = stream;
    })();
    this.#opening = opening;
    return opening.then(
      () => {
        this.#opening = undefined;
      },
      (error: unknown) => {
        this.#opening = undefined;
        this.#status = 'closed';
        this.#listeners = [];
        throw error;
      },
    );
  }

  /**
   * Sends one conversation event (`tool_call` with `toolName`/`toolArgs`, `user_message`, ...)
   * and answers its id. Validates first: a bad argument throws `InvalidInputError` and
   * nothing is sent. While the stream is opening, waits for it (the open is bounded: it
   * settles once connected or once the first attempt failed). Throws
   * `ListeningNotActiveError` when nothing listens.
   */
  async sendMessage(input: SendMessageInput): Promise<string> {
    if (this.#closed) throw new ClientClosedError();
    const event = validateInput(sendMessageSchema, input);
    if (this.#stream === undefined && this.#opening !== undefined) {
      await this.#opening.catch(() => undefined);
    }
    const stream = this.#stream;
    if (!stream) throw new ListeningNotActiveError();
    const eventId = randomUUID();
    // Registered before sending, so a bundle that beats the send's resolution still counts.
    this.#cache.expectEvent(event.conversationId, eventId);
    // With an OpenTelemetry SDK registered: a span, whose context rides in the metadata.
    const traced = traceEventSend(event, eventId);
    const sent = traced ? { ...event, metadata: traced.metadata } : event;
    try {
      await this.#inFlight.track(stream.send({ ...sent, eventId, timestampMs: Date.now() }));
    } catch (error) {
      traced?.end(error);
      throw error;
    }
    traced?.end();
    return eventId;
  }

  /**
   * Tells the server which items of a served bundle the agent used (`context_used`, ids
   * only), so ranking learns what each tool needs. Validates first (a bad argument
   * throws `InvalidInputError`); then best effort: answers false when nothing was sent
   * (not listening, reconnecting, or the HTTP fallback, which carries no report).
   */
  reportContextUsed(input: ContextUsedInput): boolean {
    if (this.#closed) throw new ClientClosedError();
    const report = validateInput(contextUsedSchema, input);
    return (
      this.#stream?.reportUsed({
        bundleId: report.bundleId,
        conversationId: report.conversationId ?? '',
        userId: report.userId,
        customerId: report.customerId ?? '',
        itemIds: report.itemIds,
        timestampMs: Date.now(),
      }) ?? false
    );
  }

  /** Closes the stream; cached bundles stay. A no-op when not listening. */
  async stopListening(): Promise<void> {
    this.#decided = true;
    await this.#opening?.catch(() => undefined);
    const stream = this.#stream;
    this.#stream = undefined;
    this.#status = 'closed';
    this.#listeners = [];
    await stream?.close();
  }

  /** For client.close(): stop and refuse later calls. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stopListening();
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#listeners)
      this.#callback('onStatus', () => listener.onStatus?.(status));
  }

  /** A throwing user callback must not break the stream; it is reported once per kind. */
  #callback(name: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      const message =
        SynapError.isInstance(error) || error instanceof Error ? error.message : String(error);
      this.#logger.warn({ err: error }, `${name} callback threw: ${message}`);
    }
  }
}
