import type { ContextBundle } from '../protocol/context-bundle.js';
import type { CallContext } from '../tracker/index.js';

/** One event the adapter sent, and the bundle the service pushed back for it. */
export interface TracedEvent {
  eventId: string;
  eventType: string;
  toolName?: string;
  toolArgs?: Record<string, unknown>;
  /** The text the event carried (a user turn, a tool result). */
  content?: string;
  /** `Date.now()` just before the event went out. */
  sentAt: number;
  bundle?: ContextBundle;
  /** From `sentAt` to the bundle's arrival in the client, ms. */
  latencyMs?: number;
}

/** One model call: the context the adapter read for it, and the system prompt the model got. */
export interface TracedModelCall {
  /** 1-based, in call order within the session. */
  index: number;
  context: CallContext;
  /** The event whose bundle the context came from, when it came from one this session sent. */
  fromEvent?: TracedEvent;
  /** The system prompt as the model received it ('' when it had none). */
  systemPrompt: string;
  /** Whether the session had sent a `tool_call` before this call: only then can anticipation help it. */
  afterToolCall: boolean;
}

/** What one agent session did, for the printer, the end-of-run check and the tests. */
export interface SessionTrace {
  /** 'AI SDK' or 'LangChain'. */
  framework: string;
  threadId: string;
  conversationId: string;
  /** `scripted` (no provider key) or the provider model's id. */
  model: string;
  recorded: { role: string; content: string }[];
  events: TracedEvent[];
  modelCalls: TracedModelCall[];
  /** The model's final answer. */
  answer: string;
}

/**
 * The model calls whose injected context came from a bundle the service pushed in reply
 * to a `tool_call` event: the anticipation the demo exists to show.
 */
export function callsAnticipatedFromToolCalls(trace: SessionTrace): TracedModelCall[] {
  return trace.modelCalls.filter(
    (call) => call.context.block !== '' && call.fromEvent?.eventType === 'tool_call',
  );
}

/** The model calls that a tool call came before: the ones anticipation can serve. */
export function callsAfterToolCalls(trace: SessionTrace): TracedModelCall[] {
  return trace.modelCalls.filter((call) => call.afterToolCall);
}
