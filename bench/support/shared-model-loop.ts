import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as ai from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/ai-sdk/index.js';
import type { ForesightClient } from '../../src/index.js';
import type { CallContext, TrackerStats } from '../../src/tracker/index.js';
import type { ModelCallContext } from './hit-rate-loop.js';
import { SeededRandom } from './seeded-random.js';

export interface SharedModelOptions {
  client: ForesightClient;
  /** Conversations running at once, each one agent turn of three tool calls. */
  conversations: number;
  /** `userId` of conversation `at`. */
  userOf: (at: number) => string;
  /** Prefix of the thread ids, unique per run. */
  run: string;
  toolMs: number;
  /** Unset: the middleware's default, as a user who sets nothing gets. */
  awaitContextMs?: number;
}

const CITIES = ['Lisbon', 'Paris', 'Berlin', 'Tokyo', 'Madrid', 'Rome', 'Dublin', 'Vienna'];
const CUISINES = ['Japanese', 'Italian', 'Portuguese', 'Thai', 'vegetarian', 'Indian'];
const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** Which conversation and step a model call is: set around each call, read by `onContext`. */
const callTag = new AsyncLocalStorage<{ step: number }>();

/**
 * `conversations` agent turns at once through ONE wrapped model (one middleware, one
 * tracker; the identity comes with each call in `providerOptions`), as a server handling
 * many chats does: each turn calls three tools in turn (each `toolMs`), then answers.
 * Answers what each model call found (`onContext`), tagged with its step (0: the user
 * turn's call; 1 and on: after a tool call), and the tracker's stats.
 */
export async function runSharedModel(
  options: SharedModelOptions,
): Promise<{ calls: ModelCallContext[]; stats: TrackerStats }> {
  const calls: ModelCallContext[] = [];
  const middleware = foresightMiddleware(options.client, {
    ...(options.awaitContextMs !== undefined ? { awaitContextMs: options.awaitContextMs } : {}),
    onContext: (context: CallContext) => {
      const tag = callTag.getStore();
      if (tag !== undefined) calls.push({ step: tag.step, context });
    },
  });
  // Outermost: runs each call (and so the Foresight middleware inside it) with its tag.
  const tagger: ai.LanguageModelMiddleware = {
    wrapGenerate: ({ doGenerate, params }) =>
      callTag.run({ step: params.prompt.filter((message) => message.role === 'tool').length }, () =>
        doGenerate(),
      ),
  };
  const model = ai.wrapLanguageModel({
    model: new MockLanguageModelV4({
      doGenerate: async ({ prompt }) => {
        const step = prompt.filter((message) => message.role === 'tool').length;
        const user = prompt.find((message) => message.role === 'user');
        const seed = Number(/#(\d+)/.exec(JSON.stringify(user?.content ?? ''))?.[1] ?? 0);
        return {
          content: [contentOf(seed, step)],
          finishReason: { unified: step < 3 ? 'tool-calls' : 'stop', raw: undefined },
          usage,
          warnings: [],
        };
      },
    }),
    middleware: [tagger, middleware],
  });
  const tool = (inputSchema: z.ZodType) =>
    ai.tool({
      inputSchema,
      execute: async () => {
        await sleep(options.toolMs);
        return { ok: true };
      },
    });
  const tools = {
    book_flight: tool(z.object({ destination: z.string() })),
    find_hotel: tool(z.object({ city: z.string() })),
    book_restaurant: tool(z.object({ city: z.string(), cuisine: z.string() })),
  };
  await Promise.all(
    Array.from({ length: options.conversations }, async (_, at) => {
      const result = await ai.generateText({
        model,
        system: 'You are a travel agent.',
        prompt: `Plan my trip #${at + 1}: flight, hotel and dinner.`,
        tools,
        stopWhen: ai.stepCountIs(4),
        providerOptions: {
          foresight: { userId: options.userOf(at), threadId: `${options.run}-${at}` },
        },
      });
      if (result.steps.length !== 4)
        throw new Error(`conversation ${at}: ${result.steps.length} steps`);
    }),
  );
  await middleware.tracker.flush();
  return { calls, stats: middleware.stats() };
}

/** Step `step` of conversation `seed`: three tool calls with drawn arguments, then an answer. */
function contentOf(seed: number, step: number) {
  const random = new SeededRandom(seed);
  const city = random.pick(CITIES);
  const calls = [
    { toolName: 'book_flight', input: { destination: city } },
    { toolName: 'find_hotel', input: { city } },
    { toolName: 'book_restaurant', input: { city, cuisine: random.pick(CUISINES) } },
  ];
  const call = calls[step];
  if (call === undefined) return { type: 'text' as const, text: `Your trip to ${city} is booked.` };
  return {
    type: 'tool-call' as const,
    toolCallId: `call-${seed}-${step}`,
    toolName: call.toolName,
    input: JSON.stringify(call.input),
  };
}
