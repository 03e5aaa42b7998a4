import * as ai7 from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { foresightMiddleware } from '../../../adapters/ai-sdk/index.js';
import { withForesightTools } from '../../../adapters/tools/index.js';
import { NO_FAILURES, startToolServer, type ToolServer } from './tool-server.js';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const toolCall = {
  type: 'tool-call' as const,
  toolCallId: 'shared-call-1',
  toolName: 'book_flight',
  input: JSON.stringify({ destination: 'Lisbon', seat: 'aisle' }),
};
const toolStep = {
  content: [toolCall],
  finishReason: { unified: 'tool-calls' as const, raw: undefined },
};
const textStep = {
  content: [{ type: 'text' as const, text: 'Booked.' }],
  finishReason: { unified: 'stop' as const, raw: undefined },
};

function streamOf(step: typeof toolStep | typeof textStep) {
  const parts =
    step === textStep
      ? [
          { type: 'text-start' as const, id: 't1' },
          { type: 'text-delta' as const, id: 't1', delta: 'Booked.' },
          { type: 'text-end' as const, id: 't1' },
        ]
      : [toolCall];
  return convertArrayToReadableStream([
    { type: 'stream-start' as const, warnings: [] },
    ...parts,
    { type: 'finish' as const, finishReason: step.finishReason, usage },
  ]);
}

/** A model answering a tool call, then text; `generateText` or `streamText` drives it. */
function mockModel() {
  return new MockLanguageModelV4({
    doGenerate: [toolStep, textStep].map((step) => ({ ...step, usage, warnings: [] })),
    doStream: [toolStep, textStep].map((step) => ({ stream: streamOf(step) })),
  });
}

describe('withForesightTools with the AI SDK middleware on one tracker', () => {
  let s: ToolServer;
  beforeAll(async () => {
    s = await startToolServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each([false, true])('sends each toolCallId once (stream: %s)', async (stream) => {
    const { tracker, threadId } = s.newTracker();
    const middleware = foresightMiddleware(s.client, { tracker });
    // Both adapters report the call; the tracker is what keeps it single.
    const reported: string[] = [];
    const sendToolCall = tracker.toolCall.bind(tracker);
    tracker.toolCall = (input) => {
      reported.push(input.toolCallId);
      sendToolCall(input);
    };
    const ran: unknown[] = [];
    const tools = withForesightTools(
      {
        book_flight: ai7.tool({
          inputSchema: z.object({ destination: z.string(), seat: z.string() }),
          execute: async (input) => {
            ran.push(input);
            return { booked: true };
          },
        }),
      },
      { tracker },
    );
    const options = {
      model: ai7.wrapLanguageModel({ model: mockModel(), middleware }),
      prompt: 'Book me a flight to Lisbon',
      tools,
      stopWhen: ai7.stepCountIs(2),
    };
    const text = stream
      ? await ai7.streamText(options).text
      : (await ai7.generateText(options)).text;
    expect(text).toBe('Booked.');
    expect(ran).toEqual([{ destination: 'Lisbon', seat: 'aisle' }]);
    // user_message, tool_call and tool_result: each once, though both adapters saw the call.
    await s.settled(tracker, threadId, 3);

    const toolEvents = s.eventsOf(threadId).filter((event) => event.eventType !== 'user_message');
    expect(toolEvents.map((event) => [event.eventType, event.metadata.tool_call_id])).toEqual([
      ['tool_call', 'shared-call-1'],
      ['tool_result', 'shared-call-1'],
    ]);
    // The middleware (from the model's output, then from the next prompt) and the wrapper.
    expect(reported).toEqual(['shared-call-1', 'shared-call-1', 'shared-call-1']);
    expect(toolEvents[0]?.toolArgs).toEqual({ destination: 'Lisbon', seat: 'aisle' });
    expect(toolEvents[1]?.content).toBe('{"booked":true}');
    expect(tracker.stats().failures).toEqual(NO_FAILURES);
  });
});
