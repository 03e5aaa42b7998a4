import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/langchain/index.js';
import type { ForesightClient } from '../client/create-client.js';
import { bookFlight } from './book-flight.js';
import type { BundleArrivals } from './bundle-arrivals.js';
import { AGENT_REQUEST, SYSTEM_PROMPT, TOOL_ARGS, TOOL_NAME } from './demo-script.js';
import { DemoSession } from './demo-session.js';
import { scriptedAnswer } from './scripted-answer.js';
import type { SessionTrace } from './session-trace.js';
import type { TurnPrinter } from './turn-printer.js';

/**
 * The LangChain session: `createAgent` with a `book_flight` tool and Foresight's agent
 * middleware, on LangChain's fake chat model (`fakeModel` of `@langchain/core/testing`):
 * it asks for the tool, then answers from the context block it received.
 */
export async function runLangChainSession(options: {
  client: ForesightClient;
  arrivals: BundleArrivals;
  printer: TurnPrinter;
  threadId: string;
  userId: string;
  awaitContextMs: number;
}): Promise<SessionTrace> {
  const { printer } = options;
  const session = new DemoSession({ ...options, framework: 'LangChain', model: 'scripted' });
  const seen = (messages: BaseMessage[]) => {
    const system = messages.find((message) => message.type === 'system');
    const text = system?.text ?? '';
    session.modelCalled(text);
    return text;
  };
  const model = fakeModel()
    .respond((messages) => {
      seen(messages);
      printer.toolRequested(TOOL_NAME, TOOL_ARGS);
      return new AIMessage({
        content: '',
        tool_calls: [{ id: 'call-langchain-1', name: TOOL_NAME, args: { ...TOOL_ARGS } }],
      });
    })
    .respond((messages) => new AIMessage(scriptedAnswer(seen(messages), TOOL_ARGS.destination)));
  const bookFlightTool = tool(
    async (input) => {
      const booked = await bookFlight(input);
      printer.toolRan(TOOL_NAME, booked);
      return JSON.stringify(booked);
    },
    {
      name: TOOL_NAME,
      description: 'Books a flight for the user.',
      schema: z.object({ destination: z.string(), seat: z.string().optional() }),
    },
  );
  const agent = createAgent({
    model,
    tools: [bookFlightTool],
    systemPrompt: SYSTEM_PROMPT,
    middleware: [
      foresightMiddleware(session.client, {
        tracker: session.tracker,
        awaitContextMs: options.awaitContextMs,
      }),
    ],
  });
  printer.userTurn(AGENT_REQUEST);
  const result = await agent.invoke(
    { messages: [new HumanMessage(AGENT_REQUEST)] },
    { configurable: { thread_id: options.threadId } },
  );
  await session.settle();
  const last = result.messages.at(-1);
  session.trace.answer = last?.text ?? '';
  printer.answer(session.trace.answer);
  return session.trace;
}
