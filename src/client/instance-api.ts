import { randomUUID } from 'node:crypto';
import { traceEventSend } from '../telemetry/index.js';
import type { AnticipationCache } from './anticipation-cache.js';
import {
  ClientClosedError,
  ListeningAlreadyActiveError,
  ListeningNotActiveError,
  SynapError,
} from './errors.js';
import type { EventStream } from './event-stream.js';
import type { InFlight } from './in-flight.js';
import { sendMessageSchema, validateInput } from './input-schemas.js';
import type { ForesightLogger } from './logger.js';
import type { ListenOptions, SendMessageInput, StreamStatus } from './types.js';

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
   * `onBundle`. Throws `ListeningAlreadyActiveError` when already listening, and
   * `AuthenticationError` when the service refuses the key.
   */
  async listen(options: ListenOptions = {}): Promise<void> {
    if (this.#closed) throw new ClientClosedError();
    if (this.listening) throw new ListeningAlreadyActiveError();
    const opening = (async () => {
      const stream = await this.#openStream();
      this.#setStatus('connecting', options);
      await stream.open({
        bundle: (bundle) => {
          this.#cache.put(bundle);
          this.#callback('onBundle', () => options.onBundle?.(bundle));
        },
        signal: (signal) => this.#callback('onSignal', () => options.onSignal?.(signal)),
        status: (status) => this.#setStatus(status, options),
        fatal: (error) => {
          this.#logger.warn({ err: error }, `event stream stopped: ${error.message}`);
          this.#setStatus('degraded', options);
        },
      });
      this.#stream = stream;
    })();
    this.#opening = opening;
    try {
      await opening;
    } catch (error) {
      this.#status = 'closed';
      throw error;
    } finally {
      this.#opening = undefined;
    }
  }

  /**
   * Sends one conversation event (`tool_call` with `toolName`/`toolArgs`, `user_message`, ...)
   * and answers its id. Validates first: a bad argument throws `InvalidInputError` and
   * nothing is sent. Throws `ListeningNotActiveError` when `listen()` was not called.
   */
  async sendMessage(input: SendMessageInput): Promise<string> {
    if (this.#closed) throw new ClientClosedError();
    const event = validateInput(sendMessageSchema, input);
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

  /** Closes the stream; cached bundles stay. A no-op when not listening. */
  async stopListening(): Promise<void> {
    await this.#opening?.catch(() => undefined);
    const stream = this.#stream;
    this.#stream = undefined;
    this.#status = 'closed';
    await stream?.close();
  }

  /** For client.close(): stop and refuse later calls. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stopListening();
  }

  #setStatus(status: StreamStatus, options: ListenOptions): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#callback('onStatus', () => options.onStatus?.(status));
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
