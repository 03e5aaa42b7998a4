import { type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { answerFrom, printContext } from './context-lines.js';

/** One scripted model step: ask for a tool, or answer (the text, plus what the context said). */
export type ScriptStep = { toolCall: { name: string; input: object } } | { answer: string };

type Model = Exclude<LanguageModel, string>;

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/**
 * The examples' model: OpenAI (`OPENAI_MODEL`, default gpt-4o-mini) when `OPENAI_API_KEY`
 * is set, else a scripted `MockLanguageModelV4` that plays `script`. Either way it prints
 * the Foresight context each call received, so the output shows what was injected.
 */
export async function exampleModel(script: readonly ScriptStep[]): Promise<Model> {
  const apiKey = process.env.OPENAI_API_KEY;
  let model: Model;
  if (apiKey) {
    // Loaded only when used: the scripted path needs no provider package.
    const { createOpenAI } = await import('@ai-sdk/openai');
    const modelId = process.env.OPENAI_MODEL || 'gpt-4o-mini';
    console.log(`model: ${modelId} (OpenAI)`);
    model = createOpenAI({ apiKey })(modelId);
  } else {
    console.log('model: scripted (set OPENAI_API_KEY for a real one)');
    model = scriptedModel(script);
  }
  return wrapLanguageModel({ model, middleware: contextPrinter() });
}

/** Prints the context block each call's system prompt carries; it only looks. */
function contextPrinter(): LanguageModelMiddleware {
  let call = 0;
  return {
    transformParams: async ({ params }) => {
      const system = params.prompt.find((message) => message.role === 'system');
      printContext(
        `model call ${++call}`,
        typeof system?.content === 'string' ? system.content : '',
      );
      return params;
    },
  };
}

/**
 * Plays `script`: the step is the number of tool results since the last user turn, so a
 * tool loop walks the script and every new user turn starts it again.
 */
function scriptedModel(script: readonly ScriptStep[]): MockLanguageModelV4 {
  type Prompt = { role: string; content: unknown }[];
  const content = (prompt: Prompt) => {
    const lastUser = prompt.map((message) => message.role).lastIndexOf('user');
    const toolResults = prompt.slice(lastUser + 1).filter((message) => message.role === 'tool');
    const step = script[Math.min(toolResults.length, script.length - 1)] ?? { answer: 'Done.' };
    if ('toolCall' in step) {
      return {
        type: 'tool-call' as const,
        toolCallId: `call-${lastUser}-${toolResults.length}`,
        toolName: step.toolCall.name,
        input: JSON.stringify(step.toolCall.input),
      };
    }
    const system = prompt.find((message) => message.role === 'system');
    const text = answerFrom(typeof system?.content === 'string' ? system.content : '', step.answer);
    return { type: 'text' as const, text };
  };
  const finishReason = (part: { type: string }) => ({
    unified: part.type === 'tool-call' ? ('tool-calls' as const) : ('stop' as const),
    raw: undefined,
  });
  return new MockLanguageModelV4({
    doGenerate: async ({ prompt }) => {
      const part = content(prompt);
      return { content: [part], finishReason: finishReason(part), usage: USAGE, warnings: [] };
    },
    doStream: async ({ prompt }) => {
      const part = content(prompt);
      const parts =
        part.type === 'tool-call'
          ? [part]
          : [
              { type: 'text-start' as const, id: 't1' },
              ...part.text
                .split(/(?<= )/)
                .map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
              { type: 'text-end' as const, id: 't1' },
            ];
      return {
        stream: convertArrayToReadableStream([
          { type: 'stream-start' as const, warnings: [] },
          ...parts,
          { type: 'finish' as const, finishReason: finishReason(part), usage: USAGE },
        ]),
      };
    },
  });
}
