import type { ForesightClient } from '../../src/client/create-client.js';
import {
  type AdapterTrackerOptions,
  adapterArguments,
  type ConversationIdentity,
  type ConversationTracker,
  contextOptionsFor,
  type InjectionOptions,
  injectContext,
  stripContext,
  type TrackerStats,
  trackerFor,
} from '../../src/tracker/index.js';
import {
  type CallParams,
  identityFromProviderOptions,
  outputText,
  type PromptMessage,
  type PromptPart,
  toolPartsOf,
} from './prompt-reading.js';
import { observeStream } from './stream-observer.js';

/** Options of {@link foresightMiddleware}. */
export interface ForesightMiddlewareOptions extends AdapterTrackerOptions, InjectionOptions {
  /**
   * Whose conversation the calls belong to. A call completes or overrides it with
   * `providerOptions: { foresight: { threadId, userId, ... } }`. Default: none, so
   * every call must give one (else it is not tracked, and the logger says so once).
   * Ignored when `tracker` is given: the tracker's identity applies.
   */
  identity?: Partial<ConversationIdentity>;
}

/** A result of `doGenerate`, as read here. */
interface GenerateResultLike {
  content: readonly PromptPart[];
}

/**
 * The middleware `foresightMiddleware` answers: assignable to `ai@7`'s
 * `LanguageModelMiddleware` and `ai@6`'s `LanguageModelV3Middleware` alike.
 */
export interface ForesightMiddleware {
  readonly specificationVersion: 'v3';
  transformParams<P extends CallParams>(options: {
    type: 'generate' | 'stream';
    params: P;
  }): Promise<P>;
  wrapGenerate<R extends GenerateResultLike>(options: {
    doGenerate: () => PromiseLike<R>;
    params: CallParams;
  }): Promise<R>;
  wrapStream<R extends { stream: ReadableStream<unknown> }>(options: {
    doStream: () => PromiseLike<R>;
    params: CallParams;
  }): Promise<R>;
  /** The tracker behind it: `flush()` before a serverless function returns. */
  readonly tracker: ConversationTracker;
  /**
   * What was recorded, sent and skipped, and `status`: `degraded` while the service is
   * down or slow (calls then go on without fresh context), else `ok`. The tracker's
   * `stats()`; shared with every adapter on the same tracker.
   */
  stats(): TrackerStats;
}

/**
 * A language-model middleware for `wrapLanguageModel` (`ai@7` and `ai@6`) that gives the
 * model Foresight's anticipated context and tells the service what the agent does:
 * - `transformParams`: records new user and assistant turns of the prompt once, reads the
 *   context from the client's cache (no network; at most `awaitContextMs` for a bundle in
 *   flight) and appends it to the system prompt, then sends `tool_result` events for the
 *   tool results the prompt carries;
 * - `wrapGenerate` / `wrapStream`: send a `tool_call` event with the exact arguments the
 *   moment a tool call completes (in a stream, before the tool runs), and record the
 *   model's text once the call ends.
 * Nothing here throws into the model call, and no call waits on the service longer than
 * `awaitContextMs`: failures are counted in `stats()`, whose `status` turns `degraded`
 * while the service is down or slow (the logger hears each change once).
 *
 * Put it last in a middleware list (closest to the model), so the prompt it records is
 * the one the model sees, after other middlewares rewrote it.
 *
 * With no client, it uses the process default client (`defaultClient()`: built from
 * `FORESIGHT_URL`, `FORESIGHT_API_KEY`, ... on first use, flushed when the process ends).
 * Either way it starts the client's event stream itself (`listen: false` opts out).
 *
 * @example
 * const model = wrapLanguageModel({
 *   model: openai('gpt-5'),
 *   middleware: foresightMiddleware({ identity: { userId: 'alice' } }),
 * });
 * await generateText({ model, prompt, providerOptions: { foresight: { threadId: chatId } } });
 */
export function foresightMiddleware(options?: ForesightMiddlewareOptions): ForesightMiddleware;
/** The same, on a client of your own (`createClient(...)`). */
export function foresightMiddleware(
  client: ForesightClient,
  options?: ForesightMiddlewareOptions,
): ForesightMiddleware;
export function foresightMiddleware(
  clientOrOptions?: ForesightClient | ForesightMiddlewareOptions,
  maybeOptions?: ForesightMiddlewareOptions,
): ForesightMiddleware {
  const { client, options } = adapterArguments(clientOrOptions, maybeOptions);
  const tracker = trackerFor(client, options);
  // Applied per call, so they hold with a shared tracker too.
  const contextOptions = contextOptionsFor(options);
  const inject = lastInjection();
  // Shared when a call names no identity of its own (the common case): nothing to build.
  const noOverride = {};
  const callIdentity = (params: CallParams) => {
    const identity = identityFromProviderOptions(params.providerOptions);
    return identity === undefined ? noOverride : { identity };
  };
  const recordOutput = (params: CallParams, text: string) => {
    tracker.observeMessages(
      [...params.prompt, { role: 'assistant', content: text }],
      callIdentity(params),
    );
  };

  return {
    specificationVersion: 'v3',
    tracker,
    stats: () => tracker.stats(),

    async transformParams({ params }) {
      const override = tracker.guard(() => callIdentity(params), {});
      tracker.guard(() => tracker.observeMessages(params.prompt, override), 0);
      const read = tracker.readContext(
        override === noOverride ? contextOptions : { ...override, ...contextOptions },
      );
      // Awaited only when it waits: every `await` is a turn of the microtask queue.
      const context = read instanceof Promise ? await read : read;
      // After the read: a tool result's own bundle serves the next call, and sending it
      // first would make this call wait for it instead of using the tool call's bundle.
      tracker.guard(() => {
        const { calls, results } = toolPartsOf(params.prompt);
        for (const call of calls) tracker.toolCall({ ...call, ...override });
        for (const result of results) tracker.toolResult({ ...result, ...override });
      }, undefined);
      if (context.block === '') return params;
      return tracker.guard(
        () => ({ ...params, prompt: withSystemContext(params.prompt, context.block, inject) }),
        params,
      );
    },

    async wrapGenerate({ doGenerate, params }) {
      const result = await doGenerate();
      tracker.guard(() => {
        const override = callIdentity(params);
        for (const part of result.content) {
          if (part.type === 'tool-call' && part.toolCallId && part.toolName) {
            tracker.toolCall({
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              args: part.input,
              ...override,
            });
          }
        }
        recordOutput(params, outputText(result.content));
      }, undefined);
      return result;
    },

    async wrapStream({ doStream, params }) {
      const result = await doStream();
      return {
        ...result,
        stream: observeStream(result.stream, {
          toolCall: (call) =>
            tracker.guard(() => tracker.toolCall({ ...call, ...callIdentity(params) }), undefined),
          end: (text) => tracker.guard(() => recordOutput(params, text), undefined),
        }),
      };
    },
  };
}

/**
 * The prompt with the block appended to its first system message (an older block
 * removed first), or a system message of its own put first when there is none.
 */
function withSystemContext<M extends PromptMessage>(
  prompt: readonly M[],
  block: string,
  inject: (system: string, block: string) => string,
): M[] {
  const at = prompt.findIndex((message) => message.role === 'system');
  const system = prompt[at];
  if (system === undefined || typeof system.content !== 'string') {
    return [{ role: 'system', content: block } as M, ...prompt];
  }
  const copy = [...prompt];
  copy[at] = { ...system, content: inject(system.content, block) };
  return copy;
}

/**
 * `injectContext(stripContext(system), block)`, remembering its last answer: every step
 * of an agent loop sends the same system prompt and, until the next event, gets the same
 * block, so the block is not searched for and the prompt not copied again each call.
 */
function lastInjection(): (system: string, block: string) => string {
  let last = { system: '', block: '', injected: '' };
  return (system, block) => {
    if (system !== last.system || block !== last.block) {
      last = { system, block, injected: injectContext(stripContext(system), block) };
    }
    return last.injected;
  };
}
