import type { ToolCallInput, ToolResultInput, TrackedMessage } from '../../src/tracker/index.js';

/**
 * A LangChain message as this adapter reads it: structurally, so messages from another
 * copy of `@langchain/core` (or plain serialized ones) read the same.
 */
export interface MessageLike {
  /** `human`, `ai`, `system`, `tool`, ... (`BaseMessage.type`). */
  type?: unknown;
  content?: unknown;
  id?: unknown;
  name?: unknown;
  /** On AI messages: the tool calls, with exact args. */
  tool_calls?: unknown;
  /** On tool messages. */
  tool_call_id?: unknown;
  status?: unknown;
}

type ToolCallPart = Omit<ToolCallInput, 'identity'>;
type ToolResultPart = Omit<ToolResultInput, 'identity'>;

const ROLES: Record<string, string> = { human: 'user', ai: 'assistant' };

/** The role of a LangChain message type as the tracker names roles. */
function roleOf(message: MessageLike): string {
  const type = typeof message.type === 'string' ? message.type : '';
  return ROLES[type] ?? type;
}

/** A history as the tracker reads one (only user and assistant text is recorded). */
export function trackedMessages(messages: readonly unknown[]): TrackedMessage[] {
  return messages.map((raw) => {
    const message = asMessage(raw);
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : undefined;
    return { role: roleOf(message), content: message.content, ...(id ? { id } : {}) };
  });
}

/** The tool calls an AI message asks for, with their exact args; none when it is not one. */
export function toolCallsOf(raw: unknown): ToolCallPart[] {
  const message = asMessage(raw);
  if (message.type !== 'ai' || !Array.isArray(message.tool_calls)) return [];
  const calls: ToolCallPart[] = [];
  for (const call of message.tool_calls) {
    if (typeof call !== 'object' || call === null) continue;
    const { id, name, args } = call as { id?: unknown; name?: unknown; args?: unknown };
    if (typeof id === 'string' && id !== '' && typeof name === 'string')
      calls.push({ toolCallId: id, toolName: name, args });
  }
  return calls;
}

/**
 * The tool results of the turn in progress: the tool messages after the history's last
 * user message. Earlier turns' results were reported when they ran; a long history
 * re-sent by a restarted process must not report them all again.
 */
export function toolResultsOf(messages: readonly unknown[]): ToolResultPart[] {
  const all = messages.map(asMessage);
  const turnStart = Math.max(
    0,
    all.findLastIndex((message) => message.type === 'human'),
  );
  const names = new Map<string, string>();
  const results: ToolResultPart[] = [];
  for (const message of all.slice(turnStart)) {
    for (const call of toolCallsOf(message)) names.set(call.toolCallId, call.toolName);
    if (message.type !== 'tool' || typeof message.tool_call_id !== 'string') continue;
    const toolCallId = message.tool_call_id;
    const toolName = typeof message.name === 'string' ? message.name : names.get(toolCallId);
    if (toolName === undefined) continue;
    results.push({ toolCallId, toolName, ...toolOutcome(message) });
  }
  return results;
}

/** A tool's output as the tracker's `result` or `error`: a tool message's content, or as is. */
export function toolOutcome(output: unknown): { result?: unknown; error?: unknown } {
  const message = asMessage(output);
  if (message.type !== 'tool') return { result: output };
  return message.status === 'error' ? { error: message.content } : { result: message.content };
}

function asMessage(raw: unknown): MessageLike {
  return typeof raw === 'object' && raw !== null ? (raw as MessageLike) : {};
}
