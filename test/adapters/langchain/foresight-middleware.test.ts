import { randomUUID } from 'node:crypto';
import { HumanMessage } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foresightMiddleware } from '../../../adapters/langchain/index.js';
import { CONTEXT_OPEN_TAG } from '../../../src/tracker/index.js';
import {
  bookFlight,
  type LangChainServer,
  NO_FAILURES,
  SYSTEM_PROMPT,
  startLangChainServer,
  summarize,
  systemText,
  TOOL_STEPS,
} from './langchain-harness.js';
import { ScriptedChatModel } from './scripted-chat-model.js';

describe('foresightMiddleware', () => {
  let s: LangChainServer;
  beforeAll(async () => {
    s = await startLangChainServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('records each turn once, sends one tool_call with exact args before the tool runs and one tool_result, and injects context after the tool call', async () => {
    const threadId = `chat-${randomUUID()}`;
    const middleware = foresightMiddleware(s.client, { awaitContextMs: 5000 });
    const model = new ScriptedChatModel([...TOOL_STEPS, { text: 'Hotel booked.' }]);
    let toolCallsBeforeTool = 0;
    const flight = bookFlight({
      onRun: async () => {
        await middleware.tracker.flush();
        await expect.poll(() => summarize(s.eventsOf(threadId)).toolCalls.length).toBe(1);
        toolCallsBeforeTool = 1;
      },
    });
    const agent = createAgent({
      model,
      tools: [flight.tool],
      systemPrompt: SYSTEM_PROMPT,
      middleware: [middleware],
    });
    const config = { configurable: { thread_id: threadId, user_id: 'alice' } };

    const first = await agent.invoke(
      { messages: [new HumanMessage('Book me a flight to Lisbon')] },
      config,
    );
    expect(flight.inputs).toEqual([{ destination: 'Lisbon', seat: 'aisle' }]);
    expect(toolCallsBeforeTool).toBe(1);
    const afterToolCall = systemText(model.seen[1]);
    expect(afterToolCall.startsWith(`${SYSTEM_PROMPT}\n\n${CONTEXT_OPEN_TAG}`)).toBe(true);
    expect(afterToolCall).toContain('> Alice always flies aisle seats');

    await agent.invoke(
      { messages: [...first.messages, new HumanMessage('Thanks! And a hotel?')] },
      config,
    );
    await middleware.tracker.flush();

    expect(await s.stored(threadId)).toEqual([
      ['user', 'Book me a flight to Lisbon'],
      ['assistant', 'Booked your aisle seat to Lisbon.'],
      ['user', 'Thanks! And a hotel?'],
      ['assistant', 'Hotel booked.'],
    ]);
    await expect.poll(() => s.eventsOf(threadId).length).toBe(4);
    expect(summarize(s.eventsOf(threadId))).toEqual({
      userMessages: 2,
      toolCalls: [['book_flight', { destination: 'Lisbon', seat: 'aisle' }]],
      toolResults: [['book_flight', '{"booked":true}']],
    });
    expect(middleware.tracker.stats().failures).toEqual(NO_FAILURES);
  });

  it("keeps the agent's own tool error behaviour: the model sees the error, the service gets it", async () => {
    const threadId = `chat-${randomUUID()}`;
    const run = async (withForesight: boolean) => {
      const middleware = foresightMiddleware(s.client, {
        identity: { threadId, userId: 'alice' },
      });
      const agent = createAgent({
        model: new ScriptedChatModel(TOOL_STEPS),
        tools: [bookFlight({ fail: true }).tool],
        systemPrompt: SYSTEM_PROMPT,
        middleware: withForesight ? [middleware] : [],
      });
      const result = await agent.invoke({ messages: [new HumanMessage('Book Lisbon')] });
      await middleware.tracker.flush();
      return result.messages.map((message) => [message.type, message.text]);
    };
    const plain = await run(false);
    expect(await run(true)).toEqual(plain);
    expect(plain[2]).toEqual(['tool', 'Error: no seats\n Please fix your mistakes.']);
    await expect
      .poll(() => summarize(s.eventsOf(threadId)).toolResults)
      .toEqual([['book_flight', 'Error: no seats\n Please fix your mistakes.']]);
  });

  it('takes the identity of a run from the agent context', async () => {
    const threadId = `chat-${randomUUID()}`;
    const middleware = foresightMiddleware(s.client);
    const agent = createAgent({
      model: new ScriptedChatModel([{ text: 'Hi Alice.' }]),
      tools: [],
      middleware: [middleware],
    });
    await agent.invoke(
      { messages: [new HumanMessage('Hello')] },
      { context: { foresight: { threadId, userId: 'alice' } } },
    );
    await middleware.tracker.flush();
    expect(await s.stored(threadId)).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Hi Alice.'],
    ]);
  });

  it('goes on without tracking when a run names no user, counting it', async () => {
    const warnings: string[] = [];
    const middleware = foresightMiddleware(s.client, {
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const model = new ScriptedChatModel([{ text: 'Hi.' }]);
    const agent = createAgent({
      model,
      tools: [],
      systemPrompt: SYSTEM_PROMPT,
      middleware: [middleware],
    });
    const result = await agent.invoke({ messages: [new HumanMessage('Hello')] });
    expect(result.messages.at(-1)?.text).toBe('Hi.');
    expect(systemText(model.seen[0])).toBe(SYSTEM_PROMPT);
    expect(middleware.tracker.stats().failures.input).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
  });
});
