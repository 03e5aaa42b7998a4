import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import {
  toolCallsOf,
  toolOutcome,
  toolResultsOf,
  trackedMessages,
} from '../../../adapters/langchain/message-reading.js';

const bookCall = { id: 'call-1', name: 'book_flight', args: { destination: 'Lisbon' } };

describe('trackedMessages', () => {
  it('maps LangChain message types to roles, keeping content and ids', () => {
    expect(
      trackedMessages([
        new SystemMessage('Be brief.'),
        new HumanMessage({ content: 'Hi', id: 'h1' }),
        new AIMessage('Hello'),
        'not a message',
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi', id: 'h1' },
      { role: 'assistant', content: 'Hello' },
      { role: '', content: undefined },
    ]);
  });
});

describe('toolCallsOf', () => {
  it("answers an AI message's tool calls with their exact args, skipping those without an id", () => {
    const message = new AIMessage({
      content: '',
      tool_calls: [bookCall, { name: 'no_id', args: {} }],
    });
    expect(toolCallsOf(message)).toEqual([
      { toolCallId: 'call-1', toolName: 'book_flight', args: { destination: 'Lisbon' } },
    ]);
    expect(toolCallsOf(new HumanMessage('Hi'))).toEqual([]);
    expect(toolCallsOf(undefined)).toEqual([]);
  });
});

describe('toolResultsOf', () => {
  it("answers only the turn in progress's tool results, naming the tool from its call", () => {
    const earlier = new ToolMessage({
      content: 'old',
      tool_call_id: 'call-0',
      name: 'book_flight',
    });
    const results = toolResultsOf([
      new HumanMessage('First'),
      earlier,
      new HumanMessage('Book Lisbon'),
      new AIMessage({ content: '', tool_calls: [bookCall] }),
      new ToolMessage({ content: 'no seats', tool_call_id: 'call-1', status: 'error' }),
    ]);
    expect(results).toEqual([{ toolCallId: 'call-1', toolName: 'book_flight', error: 'no seats' }]);
  });
});

describe('toolOutcome', () => {
  it('reads a tool message as result or error, and anything else as the result', () => {
    expect(toolOutcome(new ToolMessage({ content: 'ok', tool_call_id: 'c' }))).toEqual({
      result: 'ok',
    });
    expect(toolOutcome({ booked: true })).toEqual({ result: { booked: true } });
  });
});
