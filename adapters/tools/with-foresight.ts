import { randomUUID } from 'node:crypto';
import type { ForesightClient } from '../../src/client/create-client.js';
import { defaultClient } from '../../src/client/default-client.js';
import type { ForesightLogger } from '../../src/client/logger.js';
import { type ConversationIdentity, ConversationTracker } from '../../src/tracker/index.js';
import { type AiSdkToolLike, wrapAiSdkTool } from './ai-sdk-tool.js';
import { type LangChainToolLike, wrapLangChainTool } from './langchain-tool.js';
import type { ToolReporting } from './tool-run.js';

/** Options every form of {@link WithForesightOptions} takes. */
interface WithForesightCommonOptions {
  /**
   * The tool name events carry. Default: a LangChain tool's `name`; an AI SDK tool has
   * no name of its own (its key in `tools` names it, see {@link withForesightTools}), so
   * its `title`, else `'tool'`.
   */
  toolName?: string;
  /**
   * Makes the id of a call that comes without one (a LangChain tool invoked with bare
   * arguments). Default `crypto.randomUUID`.
   */
  newToolCallId?: () => string;
}

/** Report through a tracker shared with other adapters (one dedupe state, one `flush()`). */
export interface WithForesightTrackerOptions extends WithForesightCommonOptions {
  tracker: ConversationTracker;
  /**
   * Applied over the tracker's identity on every call. Default: none, the tracker's own.
   * A LangChain run's `thread_id` / `user_id` / `foresight` identity applies over both.
   */
  identity?: Partial<ConversationIdentity>;
  client?: never;
}

/**
 * Report through a tracker of the wrapper's own, made from a client: the given one, else
 * the process default client (`defaultClient()`, from env; flushed when the process
 * ends). Nothing can `flush()` the tracker: give a `tracker`, or flush the client, where
 * the process may end right after a call (serverless functions).
 */
export interface WithForesightClientOptions extends WithForesightCommonOptions {
  /** Default: the process default client (`defaultClient()`). */
  client?: ForesightClient;
  /** Whose conversation the calls belong to. */
  identity: Partial<ConversationIdentity>;
  /** Where the first failure of each kind goes. Default: the client's logger. */
  logger?: ForesightLogger;
  /**
   * Start the client's event stream when wrapping, in the background, so the tool's
   * events go out with no `listen()` of your own. Default true.
   */
  listen?: boolean;
  tracker?: never;
}

/**
 * Options of {@link withForesight}: a `tracker` (share the AI SDK middleware's, so a
 * tool call both see is sent once), or a `client` and `identity`.
 */
export type WithForesightOptions = WithForesightTrackerOptions | WithForesightClientOptions;

/** A tool `withForesight` wraps: an AI SDK `tool()` or a LangChain tool. */
export type ForesightWrappableTool = AiSdkToolLike | LangChainToolLike;

/**
 * Options of {@link withForesightTools}: those of {@link withForesight} but `toolName`,
 * since each tool's key in the record names it.
 */
export type WithForesightToolsOptions =
  | Omit<WithForesightTrackerOptions, 'toolName'>
  | Omit<WithForesightClientOptions, 'toolName'>;

/**
 * The tool, reporting every call to Foresight: a `tool_call` event with the exact
 * arguments before it runs, and a `tool_result` event with its result (or its error)
 * after. Both are fire-and-forget through the tracker, which owns the requests: the tool
 * never waits on the network, and a Foresight failure never reaches it (counted in
 * `tracker.stats()`, whose `status` says `degraded` while the service is down; give a
 * `tracker` to read it, since a tool has no room for a `stats()` of its own). Each `toolCallId` is sent once per conversation, so a tool call
 * the AI SDK middleware already reported through the same tracker is not sent again.
 *
 * - An AI SDK tool (`ai@7`, `ai@6`) comes back as a copy with every field (`inputSchema`,
 *   `description`, `outputSchema`, ...) and the same type; its `execute` gets the same
 *   arguments (the abort signal included) and its outcome passes through unchanged: the
 *   same value, the same error object, and an async-iterable result value by value (the
 *   last one is reported when it ends).
 * - A LangChain tool comes back behind a proxy whose `invoke` reports; name, description,
 *   schema and class are its own. The id is the `ToolCall`'s when invoked with one (as an
 *   agent does), else the config's `toolCall.id`, else a new one.
 * - Anything else (an AI SDK tool without `execute`) comes back as is.
 *
 * Neither framework is imported: tools are told apart by shape. Wrap a tool last, over
 * any other wrapper, so what is reported is what the framework gave and got back.
 *
 * @example
 * const middleware = foresightMiddleware(client, { identity: { threadId: chatId, userId } });
 * const tools = withForesightTools({ weather: tool({ ... }) }, { tracker: middleware.tracker });
 */
export function withForesight<T extends ForesightWrappableTool>(
  tool: T,
  options: WithForesightOptions,
): T {
  return wrapWith(tool, resolveToolOptions(options), options.toolName);
}

/**
 * Every tool of an AI SDK `tools` record wrapped with {@link withForesight}, all
 * reporting through one tracker. An AI SDK tool is named by its key, which is the name
 * the model calls it by; a LangChain tool by its own `name`.
 *
 * @example
 * await generateText({ model, tools: withForesightTools(tools, { tracker }), prompt });
 */
export function withForesightTools<T extends Record<string, ForesightWrappableTool>>(
  tools: T,
  options: WithForesightToolsOptions,
): T {
  const reporting = resolveToolOptions(options);
  const wrapped: Record<string, ForesightWrappableTool> = {};
  for (const [key, tool] of Object.entries(tools)) {
    wrapped[key] = wrapWith(tool, reporting, isLangChainTool(tool) ? undefined : key);
  }
  return wrapped as T;
}

/**
 * The options resolved once, at wrap time: a tracker (the given one, or one made from the
 * client), the identity override and the id generator. The tool name is set per tool.
 */
export function resolveToolOptions(
  options: WithForesightToolsOptions,
): Omit<ToolReporting, 'toolName'> {
  const newToolCallId = options.newToolCallId ?? randomUUID;
  if (options.tracker !== undefined) {
    return { tracker: options.tracker, identity: options.identity ?? {}, newToolCallId };
  }
  const tracker = new ConversationTracker({
    client: options.client ?? defaultClient(),
    identity: options.identity,
    listen: options.listen ?? true,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  // The identity is the tracker's own, resolved once there.
  return { tracker, identity: {}, newToolCallId };
}

function wrapWith<T extends ForesightWrappableTool>(
  tool: T,
  reporting: Omit<ToolReporting, 'toolName'>,
  toolName: string | undefined,
): T {
  if (isLangChainTool(tool)) {
    const name = toolName ?? (typeof tool.name === 'string' ? tool.name : 'tool');
    return wrapLangChainTool(tool, { ...reporting, toolName: name });
  }
  const title = (tool as AiSdkToolLike).title;
  const name = toolName ?? (typeof title === 'string' && title !== '' ? title : 'tool');
  return wrapAiSdkTool(tool as T & AiSdkToolLike, { ...reporting, toolName: name });
}

function isLangChainTool<T extends ForesightWrappableTool>(tool: T): tool is T & LangChainToolLike {
  return typeof (tool as Partial<LangChainToolLike>).invoke === 'function';
}
