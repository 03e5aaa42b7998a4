import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { ForesightClient } from '../../src/client/create-client.js';
import type { ForesightLogger } from '../../src/client/logger.js';
import {
  adapterArguments,
  type ConversationIdentity,
  type ConversationTracker,
  type IdentityOverride,
  identityOverride,
  messageText,
  type TrackedMessage,
  type TrackerStats,
  trackerFor,
} from '../../src/tracker/index.js';
import { toolCallsOf, toolOutcome, trackedMessages } from './message-reading.js';

/** Options of a {@link ForesightCallbackHandler}. */
export interface ForesightCallbackHandlerOptions {
  /**
   * Whose conversation the runs belong to. A run completes or overrides it through its
   * callback `metadata`: `{ thread_id, user_id }` or `{ foresight: { threadId, userId, ... } }`
   * (a LangGraph run, such as a `createAgent` agent, copies `configurable.thread_id` there;
   * not `user_id`). Default: none, so every run must give one (else it is not tracked, and
   * the logger says so once). Ignored when `tracker` is given.
   */
  identity?: Partial<ConversationIdentity>;
  /**
   * Share a tracker with `foresightMiddleware` (one dedupe state, so using both records
   * each turn once); its own identity and logger then apply. Default: a tracker of its own.
   */
  tracker?: ConversationTracker;
  /** Where the first failure of each kind goes. Ignored with `tracker`. Default: the client's logger. */
  logger?: ForesightLogger;
  /** Chat-model and tool runs remembered between their start and end, oldest out first. Default 1000. */
  maxOpenRuns?: number;
  /**
   * Start the client's event stream when the handler is made, in the background, so
   * `tool_call` and `user_message` events go out with no `listen()` of your own. Ignored
   * with `tracker`. Default true.
   */
  listen?: boolean;
}

/** LangChain's positional callback arguments, as one typed event each. */
export type CallbackEvent =
  | { kind: 'chatModelStart'; runId: string; messages: readonly BaseMessage[]; metadata: unknown }
  | { kind: 'llmEnd'; runId: string; output: LLMResult }
  | { kind: 'llmError'; runId: string }
  | {
      kind: 'toolStart';
      runId: string;
      toolName: string;
      toolCallId: string | undefined;
      metadata: unknown;
    }
  | { kind: 'toolEnd'; runId: string; output: unknown }
  | { kind: 'toolError'; runId: string; error: unknown };

interface OpenModelRun extends IdentityOverride {
  messages: TrackedMessage[];
}

interface OpenToolRun extends IdentityOverride {
  toolName: string;
  toolCallId: string | undefined;
}

/**
 * A LangChain callback handler that records every user and assistant turn once and sends
 * `tool_call` (exact args, the moment the model asks) and `tool_result` events. Works
 * with anything that takes `callbacks`: chat models, chains, `createAgent` agents.
 *
 * Callbacks cannot change a prompt, so it does not inject context: for a `createAgent`
 * agent, use `foresightMiddleware` (which also records); for a plain model or chain,
 * `withForesightContext(model)` (which records through this handler). Add this handler
 * yourself only for what those cannot see (nested chains, sub-agents), sharing one
 * tracker so nothing is recorded twice; `withForesightContext` uses a handler it finds
 * in a call's callbacks instead of its own. Nothing here throws into LangChain or waits on the network:
 * failures are counted in `stats()`.
 *
 * With no client, it uses the process default client (`defaultClient()`: built from
 * `FORESIGHT_URL`, `FORESIGHT_API_KEY`, ... on first use, flushed when the process ends),
 * as the callback handlers of tracing services do.
 *
 * @example
 * const handler = new ForesightCallbackHandler({ identity: { userId: 'alice' } });
 * await model.invoke(messages, { callbacks: [handler], metadata: { thread_id: 'chat-42' } });
 * await handler.tracker.flush();
 */
export class ForesightCallbackHandler extends BaseCallbackHandler {
  name = 'ForesightCallbackHandler';
  /** The tracker behind it: `flush()` before a serverless function returns. */
  readonly tracker: ConversationTracker;
  readonly #modelRuns = new Map<string, OpenModelRun>();
  readonly #toolRuns = new Map<string, OpenToolRun>();
  readonly #maxOpenRuns: number;

  constructor(options?: ForesightCallbackHandlerOptions);
  constructor(client: ForesightClient, options?: ForesightCallbackHandlerOptions);
  constructor(
    clientOrOptions?: ForesightClient | ForesightCallbackHandlerOptions,
    maybeOptions?: ForesightCallbackHandlerOptions,
  ) {
    // Awaited, so events keep run order (a tool_call goes out before its tool runs); the
    // handlers are synchronous, and the tracker queues the network calls.
    super({ _awaitHandler: true });
    const { client, options } = adapterArguments(clientOrOptions, maybeOptions);
    this.tracker = trackerFor(client, options);
    this.#maxOpenRuns = options.maxOpenRuns ?? 1000;
  }

  /**
   * What was recorded, sent and skipped, and `status`: `degraded` while the service is
   * down or slow, else `ok` (the tracker's; shared by the adapters on one tracker).
   */
  stats(): TrackerStats {
    return this.tracker.stats();
  }

  override handleChatModelStart(
    _llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    _parentRunId?: string,
    _extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    this.#handle(() => ({ kind: 'chatModelStart', runId, messages: messages[0] ?? [], metadata }));
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    this.#handle(() => ({ kind: 'llmEnd', runId, output }));
  }

  override handleLLMError(_error: unknown, runId: string): void {
    this.#handle(() => ({ kind: 'llmError', runId }));
  }

  override handleToolStart(
    tool: Serialized,
    _input: string,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    this.#handle(() => ({
      kind: 'toolStart',
      runId,
      toolName: runName ?? serializedName(tool),
      toolCallId,
      metadata,
    }));
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.#handle(() => ({ kind: 'toolEnd', runId, output }));
  }

  override handleToolError(error: unknown, runId: string): void {
    this.#handle(() => ({ kind: 'toolError', runId, error }));
  }

  /** Builds the event at the edge and handles it, fail-open (counted as an `adapter` failure). */
  #handle(event: () => CallbackEvent): void {
    this.tracker.guard(() => this.#on(event()), undefined);
  }

  #on(event: CallbackEvent): void {
    switch (event.kind) {
      case 'chatModelStart': {
        const run = {
          messages: trackedMessages(event.messages),
          ...identityOverride({ metadata: event.metadata }),
        };
        remember(this.#modelRuns, event.runId, run, this.#maxOpenRuns);
        this.tracker.observeMessages(run.messages, run);
        return;
      }
      case 'llmEnd': {
        const run = this.#modelRuns.get(event.runId);
        this.#modelRuns.delete(event.runId);
        if (run === undefined) return;
        const message = outputMessage(event.output);
        for (const call of toolCallsOf(message)) this.tracker.toolCall({ ...call, ...run });
        const text = messageText(message?.content ?? firstText(event.output));
        this.tracker.observeMessages([...run.messages, { role: 'assistant', content: text }], run);
        return;
      }
      case 'llmError':
        this.#modelRuns.delete(event.runId);
        return;
      case 'toolStart':
        remember(
          this.#toolRuns,
          event.runId,
          {
            toolName: event.toolName,
            toolCallId: event.toolCallId,
            ...identityOverride({ metadata: event.metadata }),
          },
          this.#maxOpenRuns,
        );
        return;
      case 'toolEnd':
      case 'toolError': {
        const run = this.#toolRuns.get(event.runId);
        this.#toolRuns.delete(event.runId);
        if (run === undefined) return;
        const output = event.kind === 'toolEnd' ? event.output : undefined;
        const outcome = event.kind === 'toolEnd' ? toolOutcome(output) : { error: event.error };
        // A tool invoked with a tool call answers a tool message naming it.
        const toolCallId = run.toolCallId ?? toolCallIdOf(output) ?? event.runId;
        this.tracker.toolResult({ ...run, ...outcome, toolCallId });
        return;
      }
    }
  }
}

/** Adds a run, dropping the oldest beyond `max`: a run whose end never comes is not kept forever. */
function remember<T>(runs: Map<string, T>, runId: string, run: T, max: number): void {
  runs.set(runId, run);
  if (runs.size <= max) return;
  const oldest = runs.keys().next();
  if (!oldest.done) runs.delete(oldest.value);
}

/** The message of the first generation, when the model is a chat model. */
function outputMessage(output: LLMResult): { content?: unknown } | undefined {
  const generation: unknown = output.generations[0]?.[0];
  if (typeof generation !== 'object' || generation === null || !('message' in generation))
    return undefined;
  const { message } = generation as { message: unknown };
  return typeof message === 'object' && message !== null ? message : undefined;
}

function firstText(output: LLMResult): string {
  return output.generations[0]?.[0]?.text ?? '';
}

function toolCallIdOf(output: unknown): string | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const id = (output as { tool_call_id?: unknown }).tool_call_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function serializedName(tool: Serialized): string {
  const { name, id } = tool as { name?: unknown; id?: unknown };
  if (typeof name === 'string') return name;
  const last: unknown = Array.isArray(id) ? id[id.length - 1] : undefined;
  return typeof last === 'string' ? last : 'tool';
}
