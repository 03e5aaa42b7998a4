import type { ConversationIdentity, ToolResultInput } from '../../src/tracker/index.js';

/**
 * The parts of AI SDK language-model types this adapter reads, written structurally so
 * one middleware serves `ai@7` (LanguageModelV4) and `ai@6` (LanguageModelV3): both
 * versions' prompts, results and stream parts fit these shapes.
 */
export interface PromptPart {
  type: string;
  text?: string;
  toolCallId?: string;
  toolName?: string;
  /** A tool call's input: JSON text in results and streams, a value in prompts. */
  input?: unknown;
  /** A tool result's output: `{ type: 'json' | 'text' | 'error-text' | ..., value }`. */
  output?: unknown;
}

export interface PromptMessage {
  role: string;
  content: string | readonly PromptPart[];
}

/** What the middleware reads from a call's parameters. */
export interface CallParams {
  prompt: readonly PromptMessage[];
  providerOptions?: Record<string, unknown>;
}

/** The key of `providerOptions` that carries a call's identity. */
export const PROVIDER_OPTIONS_KEY = 'foresight';

const IDENTITY_FIELDS = [
  'conversationId',
  'threadId',
  'userId',
  'customerId',
  'sessionId',
] as const;

/**
 * The identity a call gives in `providerOptions.foresight` (`threadId`, `userId`, ...):
 * string fields only; anything else there is ignored.
 */
export function identityFromProviderOptions(
  providerOptions: Record<string, unknown> | undefined,
): Partial<ConversationIdentity> | undefined {
  const given = providerOptions?.[PROVIDER_OPTIONS_KEY];
  if (typeof given !== 'object' || given === null) return undefined;
  const identity: Partial<ConversationIdentity> = {};
  for (const field of IDENTITY_FIELDS) {
    const value = (given as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') identity[field] = value;
  }
  return identity;
}

/**
 * The tool calls and tool results of the turn in progress: those after the prompt's last
 * user message. Earlier turns' tools were reported when they ran; a restarted process
 * re-sending a long history must not report them all again.
 */
export function toolPartsOf(prompt: readonly PromptMessage[]): {
  calls: { toolCallId: string; toolName: string; args: unknown }[];
  results: Omit<ToolResultInput, 'identity'>[];
} {
  const calls: { toolCallId: string; toolName: string; args: unknown }[] = [];
  const results: Omit<ToolResultInput, 'identity'>[] = [];
  const turnStart = Math.max(
    0,
    prompt.findLastIndex((message) => message.role === 'user'),
  );
  for (let at = turnStart; at < prompt.length; at++) {
    const message = prompt[at] as PromptMessage;
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      const { toolCallId, toolName } = part;
      if (toolCallId === undefined || toolName === undefined) continue;
      if (part.type === 'tool-call') calls.push({ toolCallId, toolName, args: part.input });
      else if (part.type === 'tool-result')
        results.push({ toolCallId, toolName, ...resultOf(part.output) });
    }
  }
  return { calls, results };
}

/** A tool result output as the tracker's `result` or `error`. */
function resultOf(output: unknown): { result?: unknown; error?: unknown } {
  if (typeof output !== 'object' || output === null) return { result: output };
  const { type, value, reason } = output as { type?: unknown; value?: unknown; reason?: unknown };
  if (type === 'error-text' || type === 'error-json') return { error: value ?? 'tool failed' };
  if (type === 'execution-denied') return { error: reason ?? 'execution denied' };
  return { result: value };
}

/** The text of a result's content parts, joined as `messageText` joins a prompt's. */
export function outputText(content: readonly PromptPart[]): string {
  return content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}
