import { randomUUID } from 'node:crypto';
import type { Serialized } from '@langchain/core/load/serializable';
import { type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForesightCallbackHandler,
  foresightMiddleware,
} from '../../../adapters/langchain/index.js';
import {
  bookFlight,
  type LangChainServer,
  NO_FAILURES,
  SYSTEM_PROMPT,
  startLangChainServer,
  summarize,
  TOOL_STEPS,
} from './langchain-harness.js';
import { ScriptedChatModel } from './scripted-chat-model.js';

describe('ForesightCallbackHandler', () => {
  let s: LangChainServer;
  beforeAll(async () => {
    s = await startLangChainServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('records the turns of a chain once, with the identity from metadata', async () => {
    const threadId = `chat-${randomUUID()}`;
    const handler = new ForesightCallbackHandler(s.client);
    const model = new ScriptedChatModel([{ text: 'Hi Alice.' }, { text: 'Lisbon it is.' }]);
    const config = { callbacks: [handler], metadata: { thread_id: threadId, user_id: 'alice' } };
    const history: BaseMessage[] = [new HumanMessage('Hello')];
    history.push(await model.invoke(history, config));
    history.push(new HumanMessage('Book Lisbon'));
    await model.invoke(history, config);
    await handler.tracker.flush();

    expect(await s.stored(threadId)).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Hi Alice.'],
      ['user', 'Book Lisbon'],
      ['assistant', 'Lisbon it is.'],
    ]);
    await expect.poll(() => summarize(s.eventsOf(threadId)).userMessages).toBe(2);
    expect(handler.tracker.stats().failures).toEqual(NO_FAILURES);
  });

  it("sends an agent's tool_call with exact args and its tool_result, by the run's tool call id", async () => {
    const threadId = `chat-${randomUUID()}`;
    const handler = new ForesightCallbackHandler(s.client, { identity: { userId: 'alice' } });
    const agent = createAgent({
      model: new ScriptedChatModel(TOOL_STEPS),
      tools: [bookFlight().tool],
      systemPrompt: SYSTEM_PROMPT,
    });
    // LangGraph copies a run's `configurable.thread_id` into the callbacks' metadata.
    await agent.invoke(
      { messages: [new HumanMessage('Book me a flight to Lisbon')] },
      { callbacks: [handler], configurable: { thread_id: threadId } },
    );
    await handler.tracker.flush();

    expect(await s.stored(threadId)).toEqual([
      ['user', 'Book me a flight to Lisbon'],
      ['assistant', 'Booked your aisle seat to Lisbon.'],
    ]);
    await expect.poll(() => s.eventsOf(threadId).length).toBe(3);
    expect(summarize(s.eventsOf(threadId))).toEqual({
      userMessages: 1,
      toolCalls: [['book_flight', { destination: 'Lisbon', seat: 'aisle' }]],
      toolResults: [['book_flight', '{"booked":true}']],
    });
    expect(handler.tracker.stats().failures).toEqual(NO_FAILURES);
  });

  it('with foresightMiddleware on one tracker, records nothing twice', async () => {
    const threadId = `chat-${randomUUID()}`;
    const middleware = foresightMiddleware(s.client, { identity: { threadId, userId: 'alice' } });
    const handler = new ForesightCallbackHandler(s.client, { tracker: middleware.tracker });
    const agent = createAgent({
      model: new ScriptedChatModel([...TOOL_STEPS, { text: 'Hotel booked.' }]),
      tools: [bookFlight().tool],
      systemPrompt: SYSTEM_PROMPT,
      middleware: [middleware],
    });
    const first = await agent.invoke(
      { messages: [new HumanMessage('Book me a flight to Lisbon')] },
      { callbacks: [handler] },
    );
    await agent.invoke(
      { messages: [...first.messages, new HumanMessage('Thanks! And a hotel?')] },
      { callbacks: [handler] },
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
    const stats = middleware.tracker.stats();
    expect(stats.recorded).toBe(4);
    expect(stats.deduped).toBeGreaterThan(0);
    expect(stats.failures).toEqual(NO_FAILURES);
  });

  it('never throws into LangChain: malformed callback arguments are counted', () => {
    const warnings: string[] = [];
    const handler = new ForesightCallbackHandler(s.client, {
      identity: { threadId: 'malformed', userId: 'alice' },
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const llm = { lc: 1, type: 'not_implemented', id: ['fake'] } as Serialized;
    expect(() =>
      handler.handleChatModelStart(llm, null as unknown as BaseMessage[][], 'run-1'),
    ).not.toThrow();
    expect(() => handler.handleLLMEnd({} as LLMResult, 'run-1')).not.toThrow();
    expect(handler.tracker.stats().failures.adapter).toBe(1);
    expect(warnings).toHaveLength(1);
  });
});
