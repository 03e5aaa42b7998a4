import { MockLanguageModelV4 } from 'ai/test';

/** What a provider model receives on a call. */
export type CallOptions = Parameters<MockLanguageModelV4['doGenerate']>[0];

/** A message as the model extractor lists it in its prompt. */
export interface PromptMessage {
  id?: string;
  role: string;
  recorded_at: string;
  content: string;
}

const usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 50, text: 50, reasoning: undefined },
};

/** The text of the user part of a call's prompt. */
export function promptText(options: CallOptions): string {
  return options.prompt
    .filter((message) => message.role === 'user')
    .flatMap((message) =>
      message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])),
    )
    .join('\n');
}

/** The messages listed in a prompt, one JSON object a line. */
export function promptMessages(options: CallOptions): PromptMessage[] {
  return promptText(options)
    .split('\n')
    .filter((line) => line.startsWith('{"'))
    .map((line) => JSON.parse(line) as PromptMessage);
}

/**
 * A mock provider model that answers each call with scripted JSON, computed from the
 * messages in the prompt (their ids are the server's), or throws what `answer` throws.
 * Its `doGenerateCalls` record every call.
 */
export function scriptedModel(
  answer: (messages: PromptMessage[], options: CallOptions) => unknown,
): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async (options) => {
      const output = answer(promptMessages(options), options);
      const text = typeof output === 'string' ? output : JSON.stringify(output);
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}
