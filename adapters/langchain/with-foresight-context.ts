import type { Callbacks } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  type BaseMessage,
  coerceMessageLikeToMessage,
  HumanMessage,
} from '@langchain/core/messages';
import type { ForesightClient } from '../../src/client/create-client.js';
import {
  type AdapterTrackerOptions,
  adapterArguments,
  type ConversationIdentity,
  type ConversationTracker,
  contextOptionsFor,
  type InjectionOptions,
  identityOverride,
  type TrackerStats,
  trackerFor,
} from '../../src/tracker/index.js';
import { ForesightCallbackHandler } from './foresight-callback-handler.js';
import { trackedMessages } from './message-reading.js';
import { withSystemContext } from './system-context.js';

/** Options of {@link withForesightContext}. */
export interface WithForesightContextOptions extends AdapterTrackerOptions, InjectionOptions {
  /**
   * Whose conversation the calls belong to. A call completes or overrides it through its
   * config: `metadata: { thread_id, user_id }` or `{ foresight: { threadId, userId, ... } }`
   * in `metadata` or `configurable`. Default: none, so every call must give one (else it
   * is not tracked, and the logger says so once). Ignored when `tracker` is given.
   */
  identity?: Partial<ConversationIdentity>;
  /**
   * Also record each call's turns and tool calls: a `ForesightCallbackHandler` on the same
   * tracker joins the call's callbacks, unless the call already has one (then that one
   * records, and its tracker serves this call). Default true.
   */
  record?: boolean;
}

/** What {@link withForesightContext} adds to the model, under `foresight`. */
export interface ForesightContextControls {
  /** `flush()` before a serverless function returns. */
  readonly tracker: ConversationTracker;
  /**
   * What was recorded, sent and skipped, and `status`: `degraded` while the service is
   * down or slow (calls then go on without fresh context), else `ok`.
   */
  stats(): TrackerStats;
}

/** A chat model as wrapped here: a LangChain `BaseChatModel` (or anything with its two entry points). */
export interface ChatModelLike {
  invoke(input: BaseLanguageModelInput, options?: never): Promise<unknown>;
  _streamIterator(input: BaseLanguageModelInput, options?: never): AsyncGenerator<unknown>;
}

interface CallConfig {
  callbacks?: Callbacks;
  metadata?: Record<string, unknown>;
  configurable?: Record<string, unknown>;
}

type Invoke = (input: BaseLanguageModelInput, options?: CallConfig) => Promise<unknown>;
type StreamIterator = (
  input: BaseLanguageModelInput,
  options?: CallConfig,
) => AsyncGenerator<unknown>;

/**
 * A chat model that puts Foresight's anticipated context into the system message of every
 * call, for plain models and chains (`prompt.pipe(model)`), where there is no `createAgent`
 * to take `foresightMiddleware`. Before each call it records the history's new turns (so
 * the service hears a new user turn at once), reads the context from the client's cache
 * (no network; at most `awaitContextMs` for a bundle in flight) and appends it to the first
 * system message as one delimited block (or puts a system message first). With `record`
 * (the default) it also records the answer and the tool calls, through a
 * `ForesightCallbackHandler` on the same tracker; a handler the call already has is used
 * instead, so using both never records twice.
 *
 * The model is behind a proxy: `invoke` and streaming (`stream`, and `batch`, which go
 * through them) inject; everything else (`bindTools`, `withConfig`, fields, `instanceof`)
 * is the model's own, and a model bound from it still injects. `streamEvents` without a
 * `version` (LangChain's content-block protocol) reads the model directly and is not
 * injected. Nothing here throws into the call: failures are counted in
 * `foresight.stats()`, whose `status` turns `degraded` while the service is down or slow.
 *
 * With no client, it uses the process default client (`defaultClient()`, from env), and
 * either way starts the client's event stream itself (`listen: false` opts out).
 *
 * @example
 * const model = withForesightContext(new ChatOpenAI({ model: 'gpt-5' }));
 * const chain = prompt.pipe(model).pipe(new StringOutputParser());
 * await chain.invoke({ question }, { metadata: { thread_id: 'chat-42', user_id: 'alice' } });
 */
export function withForesightContext<M extends ChatModelLike>(
  model: M,
  options?: WithForesightContextOptions,
): M & { readonly foresight: ForesightContextControls };
/** The same, on a client of your own (`createClient(...)`). */
export function withForesightContext<M extends ChatModelLike>(
  model: M,
  client: ForesightClient,
  options?: WithForesightContextOptions,
): M & { readonly foresight: ForesightContextControls };
export function withForesightContext<M extends ChatModelLike>(
  model: M,
  clientOrOptions?: ForesightClient | WithForesightContextOptions,
  maybeOptions?: WithForesightContextOptions,
): M & { readonly foresight: ForesightContextControls } {
  const { client, options } = adapterArguments(clientOrOptions, maybeOptions);
  const tracker = trackerFor(client, options);
  const contextOptions = contextOptionsFor(options);
  const ownHandler =
    options.record === false ? undefined : new ForesightCallbackHandler({ tracker });
  const controls: ForesightContextControls = { tracker, stats: () => tracker.stats() };

  /** The call's input with the context injected, and its config with the recording handler. */
  const prepare = async (
    input: BaseLanguageModelInput,
    config: CallConfig | undefined,
  ): Promise<{ input: BaseLanguageModelInput; config: CallConfig | undefined }> => {
    const present = foresightHandlerIn(config?.callbacks);
    const callTracker = present?.tracker ?? tracker;
    const callConfig =
      present === undefined && ownHandler !== undefined ? withHandler(config, ownHandler) : config;
    const override = callTracker.guard(
      () => identityOverride({ metadata: config?.metadata, configurable: config?.configurable }),
      {},
    );
    const messages = callTracker.guard(() => messagesOf(input), undefined);
    if (messages === undefined) return { input, config: callConfig };
    // Before the read: the bundle answering a new user turn is the one to wait for.
    callTracker.guard(() => callTracker.observeMessages(trackedMessages(messages), override), 0);
    const read = callTracker.readContext({ ...override, ...contextOptions });
    // Awaited only when it waits: every `await` is a turn of the microtask queue.
    const context = read instanceof Promise ? await read : read;
    if (context.block === '') return { input, config: callConfig };
    const injected = callTracker.guard(() => withSystemContext(messages, context.block), input);
    return { input: injected, config: callConfig };
  };

  const invoke = model.invoke as unknown as Invoke;
  const streamIterator = model._streamIterator as unknown as StreamIterator;
  const injectingInvoke: Invoke = async (input, config) => {
    const prepared = await prepare(input, config);
    // On the model itself: its methods may use private fields a proxy cannot reach.
    return invoke.call(model, prepared.input, prepared.config);
  };
  async function* injectingStream(input: BaseLanguageModelInput, config?: CallConfig) {
    const prepared = await prepare(input, config);
    yield* streamIterator.call(model, prepared.input, prepared.config);
  }

  return new Proxy(model, {
    get(target, key, receiver) {
      if (key === 'invoke') return injectingInvoke;
      if (key === '_streamIterator') return injectingStream;
      if (key === 'foresight') return controls;
      return Reflect.get(target, key, receiver);
    },
  }) as M & { readonly foresight: ForesightContextControls };
}

/** The input as messages: a string is one user turn; a prompt value, its messages. */
function messagesOf(input: BaseLanguageModelInput): BaseMessage[] | undefined {
  if (typeof input === 'string') return [new HumanMessage(input)];
  if (Array.isArray(input)) return input.map((message) => coerceMessageLikeToMessage(message));
  if (typeof input === 'object' && input !== null && 'toChatMessages' in input) {
    return input.toChatMessages();
  }
  return undefined;
}

/** A `ForesightCallbackHandler` among a call's callbacks (a list, or a chain's manager). */
function foresightHandlerIn(
  callbacks: Callbacks | undefined,
): ForesightCallbackHandler | undefined {
  const handlers = Array.isArray(callbacks) ? callbacks : callbacks?.handlers;
  return handlers?.find((handler) => handler instanceof ForesightCallbackHandler);
}

/** The config with the handler added to its callbacks, the caller's own left unchanged. */
function withHandler(
  config: CallConfig | undefined,
  handler: ForesightCallbackHandler,
): CallConfig {
  const callbacks = config?.callbacks;
  if (callbacks === undefined) return { ...config, callbacks: [handler] };
  if (Array.isArray(callbacks)) return { ...config, callbacks: [...callbacks, handler] };
  return { ...config, callbacks: callbacks.copy([handler], true) };
}
