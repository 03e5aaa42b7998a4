import { type ConversationIdentity, identityFromRun } from '../../src/tracker/index.js';
import { observeOutcome, startToolRun, type ToolReporting } from './tool-run.js';

/**
 * A LangChain tool as read here: a `StructuredTool` / `DynamicStructuredTool` from
 * `@langchain/core/tools`, or anything else with `invoke`. Structural, so
 * `foresight/tools` never loads LangChain.
 */
export interface LangChainToolLike {
  invoke(input: never, config?: never): unknown;
  name?: string;
}

type Invoke = (input: unknown, config?: unknown, ...rest: unknown[]) => unknown;

/**
 * The tool behind a proxy whose `invoke` reports the call and its outcome. Everything
 * else (name, description, schema, `instanceof`) is the tool's own; `batch` and `stream`
 * go through `this.invoke`, so they report too.
 */
export function wrapLangChainTool<T extends LangChainToolLike>(
  tool: T,
  reporting: ToolReporting,
): T {
  const invoke = tool.invoke as Invoke;
  function reportingInvoke(this: unknown, input: unknown, config?: unknown, ...rest: unknown[]) {
    const call = reporting.tracker.guard(() => readCall(input, config, reporting), {
      toolCallId: '',
      args: input,
    });
    const run = startToolRun(reporting, call);
    const end = { ok: (result: unknown) => run.ok(resultContent(result)), failed: run.failed };
    return observeOutcome(() => invoke.call(this, input, config, ...rest), end, {
      iterables: false,
    });
  }
  return new Proxy(tool, {
    get(target, key, receiver) {
      if (key === 'invoke') return reportingInvoke;
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * The call's id and arguments: from a `ToolCall` input (what an agent's tool node
 * sends), else the config's `toolCall` or `toolCallId`, else a new id. The identity
 * follows LangGraph's `thread_id` / `user_id` and a `foresight` object, as the
 * LangChain adapter reads them, so a shared tracker keys both the same way.
 */
function readCall(
  input: unknown,
  config: unknown,
  reporting: ToolReporting,
): { toolCallId: string; args: unknown; identity?: Partial<ConversationIdentity> } {
  const toolCall = isRecord(input) && input.type === 'tool_call' ? input : undefined;
  const configToolCall = isRecord(config) ? config.toolCall : undefined;
  const toolCallId =
    nonEmpty(toolCall?.id) ??
    (isRecord(configToolCall) ? nonEmpty(configToolCall.id) : undefined) ??
    (isRecord(config) ? nonEmpty(config.toolCallId) : undefined) ??
    reporting.newToolCallId();
  const identity = isRecord(config)
    ? identityFromRun({
        metadata: config.metadata,
        configurable: config.configurable,
        context: config.context,
      })
    : undefined;
  return {
    toolCallId,
    args: toolCall === undefined ? input : toolCall.args,
    ...(identity !== undefined ? { identity } : {}),
  };
}

/**
 * What the model will read: a `ToolMessage`'s `content` (invoked with a `ToolCall`, the
 * tool answers one, whose JSON form is LangChain's serialization, not the result).
 */
function resultContent(result: unknown): unknown {
  if (isRecord(result) && typeof result.tool_call_id === 'string' && 'content' in result) {
    return result.content;
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
