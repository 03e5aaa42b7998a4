import { describe, expect, it } from 'vitest';
import {
  identityFromProviderOptions,
  type PromptMessage,
  toolPartsOf,
} from '../../../adapters/ai-sdk/prompt-reading.js';

const call = (id: string) => ({
  type: 'tool-call',
  toolCallId: id,
  toolName: 'book_flight',
  input: { destination: 'Lisbon' },
});
const result = (id: string, output: unknown) => ({
  type: 'tool-result',
  toolCallId: id,
  toolName: 'book_flight',
  output,
});

describe('toolPartsOf', () => {
  it('reads only the tools of the turn in progress, mapping outputs to results and errors', () => {
    const prompt: PromptMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'first' }] },
      { role: 'assistant', content: [call('old')] },
      { role: 'tool', content: [result('old', { type: 'json', value: { ok: true } })] },
      { role: 'user', content: [{ type: 'text', text: 'second' }] },
      { role: 'assistant', content: [call('a'), call('b'), call('c')] },
      {
        role: 'tool',
        content: [
          result('a', { type: 'json', value: { ok: true } }),
          result('b', { type: 'error-text', value: 'no seats' }),
          result('c', { type: 'execution-denied', reason: 'user said no' }),
        ],
      },
    ];
    const { calls, results } = toolPartsOf(prompt);
    expect(calls.map((entry) => [entry.toolCallId, entry.args])).toEqual([
      ['a', { destination: 'Lisbon' }],
      ['b', { destination: 'Lisbon' }],
      ['c', { destination: 'Lisbon' }],
    ]);
    expect(results).toEqual([
      { toolCallId: 'a', toolName: 'book_flight', result: { ok: true } },
      { toolCallId: 'b', toolName: 'book_flight', error: 'no seats' },
      { toolCallId: 'c', toolName: 'book_flight', error: 'user said no' },
    ]);
  });
});

describe('identityFromProviderOptions', () => {
  it('keeps the non-empty string identity fields of providerOptions.foresight', () => {
    expect(
      identityFromProviderOptions({
        foresight: { threadId: 't', userId: 'alice', customerId: '', sessionId: 3 },
        openai: { user: 'x' },
      }),
    ).toEqual({ threadId: 't', userId: 'alice' });
    expect(identityFromProviderOptions({ openai: {} })).toBeUndefined();
  });
});
