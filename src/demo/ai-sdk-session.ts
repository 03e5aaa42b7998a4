import {
  generateText,
  type LanguageModel,
  type LanguageModelMiddleware,
  stepCountIs,
  tool,
  wrapLanguageModel,
} from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/ai-sdk/index.js';
import type { ForesightClient } from '../client/create-client.js';
import { bookFlight } from './book-flight.js';
import type { BundleArrivals } from './bundle-arrivals.js';
import { AGENT_REQUEST, SYSTEM_PROMPT, TOOL_ARGS, TOOL_NAME } from './demo-script.js';
import { DemoSession } from './demo-session.js';
import { scriptedAnswer } from './scripted-answer.js';
import type { SessionTrace } from './session-trace.js';
import type { TurnPrinter } from './turn-printer.js';

/** The model of the AI SDK session: scripted, or a real provider's. */
export interface DemoModel {
  /** What the printer calls it: `scripted` or the provider's model id. */
  name: string;
  /** A real model; absent for the scripted one, which the session builds itself. */
  model?: Exclude<LanguageModel, string>;
}

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/**
 * The AI SDK session: `generateText` with a `book_flight` tool and a multi-step loop,
 * on a model wrapped with `foresightMiddleware`. A capture middleware right in front of
 * the model hands the session the system prompt each call received.
 */
export async function runAiSdkSession(options: {
  client: ForesightClient;
  arrivals: BundleArrivals;
  printer: TurnPrinter;
  model: DemoModel;
  threadId: string;
  userId: string;
  awaitContextMs: number;
}): Promise<SessionTrace> {
  const { printer } = options;
  const session = new DemoSession({ ...options, framework: 'AI SDK', model: options.model.name });
  const capture: LanguageModelMiddleware = {
    transformParams: async ({ params }) => {
      const system = params.prompt.find((message) => message.role === 'system');
      session.modelCalled(typeof system?.content === 'string' ? system.content : '');
      return params;
    },
    wrapGenerate: async ({ doGenerate }) => {
      const result = await doGenerate();
      for (const part of result.content) {
        if (part.type === 'tool-call') printer.toolRequested(part.toolName, JSON.parse(part.input));
      }
      return result;
    },
  };
  const model = wrapLanguageModel({
    model: options.model.model ?? scriptedModel(),
    // Foresight first, so the capture (closest to the model) sees the prompt as sent.
    middleware: [
      foresightMiddleware(session.client, {
        tracker: session.tracker,
        awaitContextMs: options.awaitContextMs,
      }),
      capture,
    ],
  });
  printer.userTurn(AGENT_REQUEST);
  const result = await generateText({
    model,
    system: SYSTEM_PROMPT,
    prompt: AGENT_REQUEST,
    tools: {
      [TOOL_NAME]: tool({
        description: 'Books a flight for the user.',
        inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
        execute: async (input) => {
          const booked = await bookFlight(input);
          printer.toolRan(TOOL_NAME, booked);
          return booked;
        },
      }),
    },
    stopWhen: stepCountIs(4),
  });
  await session.settle();
  session.trace.answer = result.text;
  printer.answer(result.text);
  return session.trace;
}

/**
 * Asks for `book_flight` first, then answers from the context block it received once the
 * tool result is in the prompt.
 */
function scriptedModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async ({ prompt }) => {
      const afterTool = prompt.at(-1)?.role === 'tool';
      const system = prompt.find((message) => message.role === 'system');
      const text = scriptedAnswer(
        typeof system?.content === 'string' ? system.content : '',
        TOOL_ARGS.destination,
      );
      return {
        content: afterTool
          ? [{ type: 'text' as const, text }]
          : [
              {
                type: 'tool-call' as const,
                toolCallId: 'call-ai-sdk-1',
                toolName: TOOL_NAME,
                input: JSON.stringify(TOOL_ARGS),
              },
            ],
        finishReason: {
          unified: afterTool ? ('stop' as const) : ('tool-calls' as const),
          raw: undefined,
        },
        usage: USAGE,
        warnings: [],
      };
    },
  });
}
