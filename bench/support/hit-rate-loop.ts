import { setTimeout as sleep } from 'node:timers/promises';
import * as ai from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/ai-sdk/index.js';
import type { ForesightClient } from '../../src/index.js';
import type { CallContext, TrackerStats } from '../../src/tracker/index.js';
import { SeededRandom } from './seeded-random.js';

/** What one model call of a loop got from the cache. */
export interface ModelCallContext {
  /** 0: the user turn's call; 1 and on: each follows a tool call. */
  step: number;
  context: CallContext;
}

export interface LoopOptions {
  client: ForesightClient;
  userId: string;
  threadId: string;
  /** Seeds the tool arguments, so every run asks the same things. */
  seed: number;
  /** How long each tool runs, ms. */
  toolMs: number;
  awaitContextMs: number;
}

const CITIES = ['Lisbon', 'Paris', 'Berlin', 'Tokyo', 'Madrid', 'Rome', 'Dublin', 'Vienna'];
const SEATS = ['aisle', 'window', 'exit row'];
const CUISINES = ['Japanese', 'Italian', 'Portuguese', 'Thai', 'vegetarian', 'Indian'];
const LANDMARKS = ['the old town', 'the train station', 'the conference centre', 'the river'];

/** One scripted `doGenerate` answer. */
type GenerateResult = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** The scripted steps: three tool calls with arguments drawn for this loop, then an answer. */
function script(seed: number) {
  const random = new SeededRandom(seed);
  const city = random.pick(CITIES);
  const calls = [
    { toolName: 'book_flight', input: { destination: city, seat: random.pick(SEATS) } },
    { toolName: 'find_hotel', input: { city, near: random.pick(LANDMARKS) } },
    { toolName: 'book_restaurant', input: { city, cuisine: random.pick(CUISINES) } },
  ];
  const steps: GenerateResult[] = calls.map((call, at) => ({
    content: [
      {
        type: 'tool-call',
        toolCallId: `call-${seed}-${at}`,
        toolName: call.toolName,
        input: JSON.stringify(call.input),
      },
    ],
    finishReason: { unified: 'tool-calls', raw: undefined },
    usage,
    warnings: [],
  }));
  steps.push({
    content: [{ type: 'text', text: `Your trip to ${city} is booked.` }],
    finishReason: { unified: 'stop', raw: undefined },
    usage,
    warnings: [],
  });
  return { question: `Plan my trip to ${city}: flight, hotel and dinner.`, steps };
}

/**
 * One agent turn as an app runs it: `generateText` (ai@7) over a mock model wrapped with
 * `foresightMiddleware`, scripted to call three tools in turn, each taking `toolMs`, then
 * answer. Answers what each model call found in the cache (`onContext`), in order, and
 * the tracker's stats.
 */
export async function runToolLoop(
  options: LoopOptions,
): Promise<{ calls: ModelCallContext[]; stats: TrackerStats }> {
  const { question, steps } = script(options.seed);
  const calls: ModelCallContext[] = [];
  const middleware = foresightMiddleware(options.client, {
    identity: { userId: options.userId, threadId: options.threadId },
    awaitContextMs: options.awaitContextMs,
    onContext: (context) => calls.push({ step: calls.length, context }),
  });
  const tool = (inputSchema: z.ZodType) =>
    ai.tool({
      inputSchema,
      execute: async () => {
        await sleep(options.toolMs);
        return { ok: true };
      },
    });
  const result = await ai.generateText({
    model: ai.wrapLanguageModel({
      model: new MockLanguageModelV4({ doGenerate: steps }),
      middleware,
    }),
    system: 'You are a travel agent.',
    prompt: question,
    tools: {
      book_flight: tool(z.object({ destination: z.string(), seat: z.string() })),
      find_hotel: tool(z.object({ city: z.string(), near: z.string() })),
      book_restaurant: tool(z.object({ city: z.string(), cuisine: z.string() })),
    },
    stopWhen: ai.stepCountIs(steps.length),
  });
  if (result.steps.length !== steps.length) {
    throw new Error(`the loop ran ${result.steps.length} steps, not ${steps.length}`);
  }
  await middleware.tracker.flush();
  return { calls, stats: middleware.stats() };
}
