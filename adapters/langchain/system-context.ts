import { type BaseMessage, SystemMessage } from '@langchain/core/messages';
import { injectContext, stripContext } from '../../src/tracker/index.js';

/**
 * The system message with the block appended (an older block removed first): to the text
 * when it is a string, else as a text block of its own, so the message's other blocks
 * (and their cache control) stay as they are.
 */
export function withContext(system: SystemMessage, block: string): SystemMessage {
  const { content } = system;
  if (typeof content === 'string') {
    return new SystemMessage({
      content: injectContext(stripContext(content), block),
      additional_kwargs: system.additional_kwargs,
      response_metadata: system.response_metadata,
      ...(system.id !== undefined ? { id: system.id } : {}),
      ...(system.name !== undefined ? { name: system.name } : {}),
    });
  }
  return system.concat(new SystemMessage({ content: [{ type: 'text', text: `\n\n${block}` }] }));
}

/**
 * The messages with the block in their first system message, or in a system message of
 * its own put first when there is none. The list given is not changed.
 */
export function withSystemContext(messages: readonly BaseMessage[], block: string): BaseMessage[] {
  const at = messages.findIndex((message) => message.type === 'system');
  const system = messages[at];
  if (system === undefined) return [new SystemMessage(block), ...messages];
  const copy = [...messages];
  copy[at] = withContext(system as SystemMessage, block);
  return copy;
}
