import { conversationIdFrom } from '../client/conversation-id.js';
import type { ForesightClient } from '../client/create-client.js';
import type { BatchRecordResult, RecordMessageInput, SendMessageInput } from '../client/types.js';
import { type CallContext, ConversationTracker } from '../tracker/index.js';
import type { BundleArrivals } from './bundle-arrivals.js';
import type { SessionTrace, TracedEvent } from './session-trace.js';
import type { TurnPrinter } from './turn-printer.js';

/** How long the demo waits for the bundle of an event it sent before it reports none, ms. */
const BUNDLE_WAIT_MS = 5000;

/** The events a Synap service answers with a bundle; the others are only recorded. */
const ANSWERED_EVENT_TYPES = new Set(['user_message', 'tool_call', 'context_request']);

export interface DemoSessionOptions {
  client: ForesightClient;
  arrivals: BundleArrivals;
  printer: TurnPrinter;
  framework: string;
  model: string;
  threadId: string;
  userId: string;
}

/**
 * One agent session of the demo, watched from the outside: the adapter under test gets
 * `client` (the real client, with recording and events observed on their way out) and
 * `tracker` (the real tracker, which reports the context it hands each model call). The
 * observations go to the printer as they happen and into `trace`.
 */
export class DemoSession {
  readonly trace: SessionTrace;
  readonly client: ForesightClient;
  readonly tracker: ConversationTracker;
  readonly #real: ForesightClient;
  readonly #arrivals: BundleArrivals;
  readonly #printer: TurnPrinter;
  readonly #bundleWaits = new Set<Promise<void>>();
  readonly #contexts: CallContext[] = [];

  constructor(options: DemoSessionOptions) {
    this.#real = options.client;
    this.#arrivals = options.arrivals;
    this.#printer = options.printer;
    this.trace = {
      framework: options.framework,
      threadId: options.threadId,
      conversationId: conversationIdFrom(options.threadId),
      model: options.model,
      recorded: [],
      events: [],
      modelCalls: [],
      answer: '',
    };
    this.client = this.#observedClient();
    const contexts = this.#contexts;
    // The tracker the adapter runs on; the override only notes what it answered.
    this.tracker = new (class extends ConversationTracker {
      override readContext(
        callOptions: Parameters<ConversationTracker['readContext']>[0],
      ): CallContext | Promise<CallContext> {
        const noted = (context: CallContext) => {
          contexts.push(context);
          return context;
        };
        const context = super.readContext(callOptions);
        return context instanceof Promise ? context.then(noted) : noted(context);
      }
    })({ client: this.client, identity: { threadId: options.threadId, userId: options.userId } });
  }

  /**
   * Called by the model (or a capture middleware right in front of it) with the system
   * prompt it received: pairs it with the context the tracker read for that call.
   */
  modelCalled(systemPrompt: string): void {
    const context = this.#contexts.shift() ?? { block: '', waitedMs: 0, source: 'none' as const };
    // By arrival, not by `event.bundle`: the arrival is noted in the tick the bundle was
    // cached, before any wait for it (the adapter's included) resumes.
    const fromEvent = this.trace.events.find(
      (event) =>
        context.bundleId !== undefined &&
        this.#arrivals.get(event.eventId)?.bundle.bundleId === context.bundleId,
    );
    const call = {
      index: this.trace.modelCalls.length + 1,
      context,
      systemPrompt,
      afterToolCall: this.trace.events.some((event) => event.eventType === 'tool_call'),
      ...(fromEvent ? { fromEvent } : {}),
    };
    this.trace.modelCalls.push(call);
    this.#printer.modelCall(call, this.trace.framework);
  }

  /** Waits for the adapter's calls in flight and the bundles still expected. */
  async settle(): Promise<void> {
    await this.tracker.flush();
    while (this.#bundleWaits.size > 0) await Promise.all(this.#bundleWaits);
  }

  #observedClient(): ForesightClient {
    const real = this.#real;
    const conversation = new Proxy(real.conversation, {
      get: (target, property) => {
        if (property === 'recordMessages') {
          return async (inputs: RecordMessageInput[], ...rest: unknown[]) => {
            const result: BatchRecordResult = await target.recordMessages(inputs, ...(rest as []));
            result.results.forEach((outcome, at) => {
              const input = inputs[at];
              if (!outcome.ok || !input) return;
              this.trace.recorded.push({ role: input.role, content: input.content });
              this.#printer.recorded(input.role, input.content);
            });
            return result;
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const instance = new Proxy(real.instance, {
      get: (target, property) => {
        if (property === 'sendMessage') {
          return (input: SendMessageInput) => this.#send(input);
        }
        // Getters read on the target itself: InstanceApi keeps its state in private fields.
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { ...real, conversation, instance };
  }

  async #send(input: SendMessageInput): Promise<string> {
    const sentAt = Date.now();
    const eventId = await this.#real.instance.sendMessage(input);
    const event: TracedEvent = {
      eventId,
      eventType: input.eventType,
      sentAt,
      ...(input.toolName !== undefined ? { toolName: input.toolName } : {}),
      ...(input.toolArgs !== undefined ? { toolArgs: input.toolArgs } : {}),
      ...(input.content !== undefined ? { content: input.content } : {}),
    };
    this.trace.events.push(event);
    this.#printer.eventSent(event);
    if (!ANSWERED_EVENT_TYPES.has(input.eventType)) return eventId;
    const wait = this.#real.context
      .waitFor({
        conversationId: input.conversationId,
        afterEvent: eventId,
        timeoutMs: BUNDLE_WAIT_MS,
      })
      .then((result) => {
        // `closed`: the demo is shutting down after a failure, which it reports itself.
        if (result.status === 'closed') return;
        if (result.status === 'timeout') {
          this.#printer.warn(`no bundle for ${event.eventType} within ${BUNDLE_WAIT_MS} ms`);
          return;
        }
        event.bundle = result.bundle;
        event.latencyMs = (this.#arrivals.get(eventId)?.at ?? Date.now()) - sentAt;
        // Against the session's previous bundle: what this event made the service add.
        const earlier = this.trace.events
          .slice(0, this.trace.events.indexOf(event))
          .reverse()
          .find((candidate) => candidate.bundle !== undefined);
        this.#printer.bundlePushed(event, earlier);
      })
      .finally(() => this.#bundleWaits.delete(wait));
    this.#bundleWaits.add(wait);
    return eventId;
  }
}
