import type { SendMessageInput } from '../client/types.js';
import type { ToolCallInput, ToolResultInput } from './tracker-inputs.js';

/** A tool event without its identity fields, which the tracker adds. */
export type ToolEvent = Pick<
  SendMessageInput,
  'eventType' | 'toolName' | 'toolArgs' | 'content' | 'metadata'
>;

// Enough for the service to anticipate from; a huge tool result is cut, not refused.
const MAX_EVENT_CONTENT_CHARS = 32 * 1024;

/** The `tool_call` event of a call: its exact arguments, and its id in the metadata. */
export function toolCallEvent(input: ToolCallInput): ToolEvent {
  const toolArgs = toolArgsObject(input.args);
  return {
    eventType: 'tool_call',
    toolName: input.toolName,
    ...(toolArgs !== undefined ? { toolArgs } : {}),
    metadata: { tool_call_id: input.toolCallId },
  };
}

/** The `tool_result` event of a call: the result (or error) as text, and `status` ok or error. */
export function toolResultEvent(input: ToolResultInput): ToolEvent {
  const failed = input.error !== undefined;
  const content = toolResultText(failed ? input.error : input.result, MAX_EVENT_CONTENT_CHARS);
  return {
    eventType: 'tool_result',
    toolName: input.toolName,
    ...(content !== '' ? { content } : {}),
    metadata: { tool_call_id: input.toolCallId, status: failed ? 'error' : 'ok' },
  };
}

/**
 * Tool arguments as the event's `toolArgs` object: an object as is; JSON text (what AI
 * SDK models emit) parsed; anything else wrapped as `{ value }`, since the wire carries
 * an object. `undefined` when there are no arguments.
 */
export function toolArgsObject(args: unknown): Record<string, unknown> | undefined {
  if (args === undefined || args === null) return undefined;
  if (typeof args === 'string') {
    if (args.trim() === '') return undefined;
    try {
      return toolArgsObject(JSON.parse(args)) ?? { value: args };
    } catch {
      // Not JSON: the model sent plain text, which is still worth sending as is.
      return { value: args };
    }
  }
  if (isPlainObject(args)) return args;
  return { value: args };
}

/** A tool result or error as event text: strings as is, errors by message, else JSON. Cut to `maxChars`. */
export function toolResultText(value: unknown, maxChars: number): string {
  let text: string;
  if (value === undefined || value === null) text = '';
  else if (typeof value === 'string') text = value;
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      // Cycles or BigInts: the text form still tells the service something.
      text = String(value);
    }
  }
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
