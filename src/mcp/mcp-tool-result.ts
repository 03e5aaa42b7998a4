import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SynapError } from '../client/errors.js';

/** A tool's answer: one text part holding the JSON, which every MCP client can show. */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/**
 * A failure as an MCP tool error (`isError: true`), which the calling model sees and
 * can correct, rather than a protocol error. Invalid input keeps the client's
 * `<field>: <rule>` message; other Synap errors lead with their stable code.
 */
export function errorResult(error: unknown): CallToolResult {
  let text: string;
  if (SynapError.isInstance(error)) {
    text =
      error.code === 'invalid_input' || error.code === 'invalid_conversation_id'
        ? error.message
        : `${error.code}: ${error.message}`;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  return { content: [{ type: 'text', text }], isError: true };
}
