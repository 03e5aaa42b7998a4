import * as ai7 from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import * as ai6 from 'ai6';
import { MockLanguageModelV3 as MockLanguageModelV3Of6 } from 'ai6/test';
import { z } from 'zod';
import type { ForesightMiddleware } from '../../../adapters/ai-sdk/index.js';

/** One model step: text, or one tool call. The same shapes in LanguageModelV3 and V4. */
export type Step = { text: string } | { toolCall: { id: string; name: string; input: object } };

/** Prompt messages as the mock model saw them. */
export interface SeenMessage {
  role: string;
  content: unknown;
}

/** A chat message to send (the SDKs' `ModelMessage`), kept loose across versions. */
export type ChatMessage = { role: 'user'; content: string } | { role: string; content: unknown };

export interface ModelHarness {
  name: string;
  /** Runs a tool loop with `generateText` (stream: `streamText`); answers the response messages. */
  run(options: {
    middleware: ForesightMiddleware;
    messages: ChatMessage[];
    steps: Step[];
    stream: boolean;
    providerOptions?: Record<string, Record<string, string>>;
    /** Called when `book_flight` runs. */
    onTool?: (input: unknown) => Promise<void>;
  }): Promise<{ responseMessages: ChatMessage[]; prompts: SeenMessage[][] }>;
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function toolCallPart(call: { id: string; name: string; input: object }) {
  return {
    type: 'tool-call' as const,
    toolCallId: call.id,
    toolName: call.name,
    input: JSON.stringify(call.input),
  };
}

function content(step: Step) {
  return 'text' in step
    ? [{ type: 'text' as const, text: step.text }]
    : [toolCallPart(step.toolCall)];
}

function finishReason(step: Step) {
  return { unified: 'text' in step ? ('stop' as const) : ('tool-calls' as const), raw: undefined };
}

function streamParts(step: Step) {
  const parts =
    'text' in step
      ? [
          { type: 'text-start' as const, id: 't1' },
          ...step.text
            .split(/(?<= )/)
            .map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
          { type: 'text-end' as const, id: 't1' },
        ]
      : [toolCallPart(step.toolCall)];
  return [
    { type: 'stream-start' as const, warnings: [] },
    ...parts,
    { type: 'finish' as const, finishReason: finishReason(step), usage },
  ];
}

const bookFlightInput = z.object({ destination: z.string(), seat: z.string() });

export const AI7: ModelHarness = {
  name: 'ai@7 (LanguageModelV4)',
  async run({ middleware, messages, steps, stream, providerOptions, onTool }) {
    const model = new MockLanguageModelV4({
      doGenerate: steps.map((step) => ({
        content: content(step),
        finishReason: finishReason(step),
        usage,
        warnings: [],
      })),
      doStream: steps.map((step) => ({ stream: convertArrayToReadableStream(streamParts(step)) })),
    });
    const options = {
      model: ai7.wrapLanguageModel({ model, middleware }),
      system: 'You are a travel agent.',
      messages: messages as ai7.ModelMessage[],
      tools: {
        book_flight: ai7.tool({
          inputSchema: bookFlightInput,
          execute: async (input) => {
            await onTool?.(input);
            return { booked: true };
          },
        }),
      },
      stopWhen: ai7.stepCountIs(steps.length),
      ...(providerOptions ? { providerOptions } : {}),
    };
    const response = stream
      ? await ai7.streamText(options).response
      : (await ai7.generateText(options)).response;
    const calls = stream ? model.doStreamCalls : model.doGenerateCalls;
    return { responseMessages: response.messages, prompts: calls.map((call) => call.prompt) };
  },
};

export const AI6: ModelHarness = {
  name: 'ai@6 (LanguageModelV3)',
  async run({ middleware, messages, steps, stream, providerOptions, onTool }) {
    const model = new MockLanguageModelV3Of6({
      doGenerate: steps.map((step) => ({
        content: content(step),
        finishReason: finishReason(step),
        usage,
        warnings: [],
      })),
      doStream: steps.map((step) => ({ stream: convertArrayToReadableStream(streamParts(step)) })),
    });
    const options = {
      model: ai6.wrapLanguageModel({ model, middleware }),
      system: 'You are a travel agent.',
      messages: messages as ai6.ModelMessage[],
      tools: {
        book_flight: ai6.tool({
          inputSchema: bookFlightInput,
          execute: async (input) => {
            await onTool?.(input);
            return { booked: true };
          },
        }),
      },
      stopWhen: ai6.stepCountIs(steps.length),
      ...(providerOptions ? { providerOptions } : {}),
    };
    const response = stream
      ? await ai6.streamText(options).response
      : (await ai6.generateText(options)).response;
    const calls = stream ? model.doStreamCalls : model.doGenerateCalls;
    return { responseMessages: response.messages, prompts: calls.map((call) => call.prompt) };
  },
};
