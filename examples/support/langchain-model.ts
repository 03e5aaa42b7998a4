import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { answerFrom, printContext } from './context-lines.js';

/**
 * LangChain's scripted chat model (`fakeModel`): asks for `book_flight` to `destination`
 * when `withTool`, then answers from the Foresight context it received, and prints that
 * context on every call. For a real model, pass e.g. `new ChatOpenAI(...)` from
 * `@langchain/openai` instead: Foresight does not depend on the provider.
 */
export function scriptedChatModel(options: { withTool: boolean; destination: string }) {
  let call = 0;
  const seen = (messages: BaseMessage[]) => {
    const system = messages.find((message) => message.type === 'system')?.text ?? '';
    printContext(`model call ${++call}`, system);
    return system;
  };
  console.log('model: scripted (LangChain fakeModel)');
  const answer = (messages: BaseMessage[]) =>
    new AIMessage(answerFrom(seen(messages), `Booked your flight to ${options.destination}.`));
  if (!options.withTool) return fakeModel().respond(answer);
  return fakeModel()
    .respond((messages) => {
      seen(messages);
      return new AIMessage({
        content: '',
        tool_calls: [
          { id: 'call-1', name: 'book_flight', args: { destination: options.destination } },
        ],
      });
    })
    .respond(answer);
}
