// The LangChain side of the zero-wiring scripts: a chat model playing the same script
// as scripted-models.ts (it records into the same `systems`), and the tool.
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from 'langchain';
import { z } from 'zod';
import { systems } from './scripted-models.js';

/** A LangChain chat model playing the same script. */
export function scriptedChatModel() {
  const seen = (messages: BaseMessage[]) => {
    systems.push(messages.find((message) => message.type === 'system')?.text ?? '');
  };
  return fakeModel()
    .respond((messages) => {
      seen(messages);
      return new AIMessage({
        content: '',
        tool_calls: [{ id: 'call-1', name: 'book_flight', args: { destination: 'Lisbon' } }],
      });
    })
    .respond((messages) => {
      seen(messages);
      return new AIMessage('Booked.');
    });
}

/** The tool, as a LangChain tool. */
export const bookFlightTool = tool(
  async ({ destination }) => JSON.stringify({ booked: true, destination }),
  {
    name: 'book_flight',
    description: 'Books a flight for the user.',
    schema: z.object({ destination: z.string() }),
  },
);
