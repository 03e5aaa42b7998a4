// The scripted parts of the zero-wiring scripts: AI SDK models that ask for `book_flight`
// once and then answer, recording the system prompt each call saw, and the tool. What the
// scripts print is one JSON line, `{"systems": [...], "text": "..."}`, for the test to read.
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { MockLanguageModelV3 } from 'ai6/test';
import { z } from 'zod';

/** The system prompt of each model call, in order. */
export const systems: string[] = [];

export function printOutcome(text: string): void {
  console.log(JSON.stringify({ systems, text }));
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

type Prompt = readonly { role: string; content: unknown }[];

/** Step 0 asks for the tool; every later call answers. */
function step(prompt: Prompt) {
  const system = prompt.find((message) => message.role === 'system')?.content;
  systems.push(typeof system === 'string' ? system : '');
  const toolRan = prompt.some((message) => message.role === 'tool');
  const part = toolRan
    ? { type: 'text' as const, text: 'Booked.' }
    : {
        type: 'tool-call' as const,
        toolCallId: 'call-1',
        toolName: 'book_flight',
        input: JSON.stringify({ destination: 'Lisbon' }),
      };
  const finishReason = {
    unified: toolRan ? ('stop' as const) : ('tool-calls' as const),
    raw: undefined,
  };
  return { part, finishReason };
}

function streamOf(
  part: ReturnType<typeof step>['part'],
  finishReason: ReturnType<typeof step>['finishReason'],
) {
  const parts =
    part.type === 'text'
      ? [
          { type: 'text-start' as const, id: 't1' },
          { type: 'text-delta' as const, id: 't1', delta: part.text },
          { type: 'text-end' as const, id: 't1' },
        ]
      : [part];
  return convertArrayToReadableStream([
    { type: 'stream-start' as const, warnings: [] },
    ...parts,
    { type: 'finish' as const, finishReason, usage },
  ]);
}

/** An `ai@7` model (LanguageModelV4). */
export function scriptedModelV4(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async ({ prompt }) => {
      const { part, finishReason } = step(prompt);
      return { content: [part], finishReason, usage, warnings: [] };
    },
    doStream: async ({ prompt }) => {
      const { part, finishReason } = step(prompt);
      return { stream: streamOf(part, finishReason) };
    },
  });
}

/** An `ai@6` model (LanguageModelV3). */
export function scriptedModelV3(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const { part, finishReason } = step(prompt);
      return { content: [part], finishReason, usage, warnings: [] };
    },
    doStream: async ({ prompt }) => {
      const { part, finishReason } = step(prompt);
      return { stream: streamOf(part, finishReason) as never };
    },
  });
}

/** The tool, in the AI SDK's shape (`tool()` of ai@7 and ai@6 answers the same object). */
export const bookFlight = {
  description: 'Books a flight for the user.',
  inputSchema: z.object({ destination: z.string() }),
  execute: async ({ destination }: { destination: string }) => ({ booked: true, destination }),
};
