import { type AgentMiddleware, createMiddleware } from 'langchain';
import { z } from 'zod';
import type { ForesightClient } from '../../src/client/create-client.js';
import {
  type AdapterTrackerOptions,
  adapterArguments,
  type ConversationIdentity,
  type ConversationTracker,
  contextOptionsFor,
  IDENTITY_KEY,
  type InjectionOptions,
  identityOverride,
  type TrackerStats,
  trackerFor,
} from '../../src/tracker/index.js';
import { toolCallsOf, toolResultsOf, trackedMessages } from './message-reading.js';
import { withContext } from './system-context.js';

/** Options of {@link foresightMiddleware}. */
export interface ForesightMiddlewareOptions extends AdapterTrackerOptions, InjectionOptions {
  /**
   * Whose conversation the agent's runs belong to. A run completes or overrides it with
   * `configurable: { thread_id, user_id }`, or `foresight: { threadId, userId, ... }` in
   * `configurable` or the agent's `context`. Default: none, so every run must give one
   * (else it is not tracked, and the logger says so once). Ignored when `tracker` is given.
   */
  identity?: Partial<ConversationIdentity>;
}

/** The middleware `foresightMiddleware` answers, with the tracker behind it. */
export type ForesightAgentMiddleware = AgentMiddleware & {
  /** `flush()` before a serverless function returns. */
  readonly tracker: ConversationTracker;
  /**
   * What was recorded, sent and skipped, and `status`: `degraded` while the service is
   * down or slow (model calls then go on without fresh context), else `ok`.
   */
  stats(): TrackerStats;
};

/** The middleware's name in `createAgent`: unique among an agent's middlewares. */
export const MIDDLEWARE_NAME = 'ForesightMiddleware';

/**
 * A `createAgent` middleware (langchain v1) that gives the model Foresight's anticipated
 * context and tells the service what the agent does:
 * - `wrapModelCall`: records new turns of the history once, reads the context from the
 *   client's cache (no network; at most `awaitContextMs` for a bundle in flight) and
 *   appends it to the system message, then sends `tool_result` events for the turn's tool
 *   messages;
 * - `afterModel`: records the model's answer and sends a `tool_call` event with the exact
 *   args for each tool call, before the tools run.
 * Nothing here throws into the agent, and no model call waits on the service longer
 * than `awaitContextMs`: failures are counted in `stats()`, whose `status` turns
 * `degraded` while the service is down or slow (the logger hears each change once).
 *
 * It has no `wrapToolCall` on purpose: with one, LangChain (1.5) lets a tool's error end
 * the run instead of turning it into an error tool message for the model, so merely
 * adding it would change the agent. Tool results are read from the history instead.
 *
 * Put it last in `middleware` (innermost, closest to the model), so the system message
 * it extends and the history it records are the ones the model sees. Use it for
 * `createAgent`; use `withForesightContext(model)` for plain models and chains (it injects,
 * and records through a `ForesightCallbackHandler`). Adding the handler too (for nested
 * chains or sub-agents the middleware cannot see): pass it this middleware's `tracker`.
 *
 * With no client, it uses the process default client (`defaultClient()`: built from
 * `FORESIGHT_URL`, `FORESIGHT_API_KEY`, ... on first use, flushed when the process ends).
 * Either way it starts the client's event stream itself (`listen: false` opts out).
 *
 * @example
 * const agent = createAgent({ model, tools, middleware: [foresightMiddleware()] });
 * await agent.invoke({ messages }, { configurable: { thread_id: 'chat-42', user_id: 'alice' } });
 */
export function foresightMiddleware(options?: ForesightMiddlewareOptions): ForesightAgentMiddleware;
/** The same, on a client of your own (`createClient(...)`). */
export function foresightMiddleware(
  client: ForesightClient,
  options?: ForesightMiddlewareOptions,
): ForesightAgentMiddleware;
export function foresightMiddleware(
  clientOrOptions?: ForesightClient | ForesightMiddlewareOptions,
  maybeOptions?: ForesightMiddlewareOptions,
): ForesightAgentMiddleware {
  const { client, options } = adapterArguments(clientOrOptions, maybeOptions);
  const tracker = trackerFor(client, options);
  // Applied per call, so they hold with a shared tracker too.
  const contextOptions = contextOptionsFor(options);

  const middleware = createMiddleware({
    name: MIDDLEWARE_NAME,
    // Declared so LangChain hands `afterModel` the run's `context.foresight` (it filters a
    // hook's context by its schema). `unknown`: a malformed value is ignored here, never
    // rejected by LangChain's parse.
    contextSchema: z.object({ [IDENTITY_KEY]: z.unknown().optional() }),

    async wrapModelCall(request, handler) {
      const override = tracker.guard(
        () =>
          identityOverride({
            configurable: request.runtime.configurable,
            context: request.runtime.context,
          }),
        {},
      );
      tracker.guard(() => tracker.observeMessages(trackedMessages(request.messages), override), 0);
      const read = tracker.readContext({ ...override, ...contextOptions });
      // Awaited only when it waits: every `await` is a turn of the microtask queue.
      const context = read instanceof Promise ? await read : read;
      // After the read: a tool result's own bundle serves the next call, and sending it
      // first would make this call wait for it instead of using the tool call's bundle.
      tracker.guard(() => {
        for (const result of toolResultsOf(request.messages))
          tracker.toolResult({ ...result, ...override });
      }, undefined);
      if (context.block === '') return handler(request);
      const systemMessage = tracker.guard(
        () => withContext(request.systemMessage, context.block),
        request.systemMessage,
      );
      return handler({ ...request, systemMessage });
    },

    afterModel(state, runtime) {
      tracker.guard(() => {
        const override = identityOverride({
          configurable: runtime.configurable,
          context: runtime.context,
        });
        const last = state.messages[state.messages.length - 1];
        for (const call of toolCallsOf(last)) tracker.toolCall({ ...call, ...override });
        tracker.observeMessages(trackedMessages(state.messages), override);
      }, undefined);
      return undefined;
    },
  });
  return Object.assign(middleware, { tracker, stats: () => tracker.stats() });
}
