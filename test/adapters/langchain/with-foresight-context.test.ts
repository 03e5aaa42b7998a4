import { randomUUID } from 'node:crypto';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForesightCallbackHandler,
  withForesightContext,
} from '../../../adapters/langchain/index.js';
import {
  type CallContext,
  CONTEXT_CLOSE_TAG,
  CONTEXT_OPEN_TAG,
} from '../../../src/tracker/index.js';
import {
  type LangChainServer,
  NO_FAILURES,
  SYSTEM_PROMPT,
  startLangChainServer,
  summarize,
  systemText,
} from './langchain-harness.js';
import { ScriptedChatModel } from './scripted-chat-model.js';

const QUESTION = 'Book me a flight to Lisbon, aisle seat please';
const MEMORY_LINE = '> Alice always flies aisle seats';

/** Keeps the messages each chat model run received: what the model was prompted with. */
class PromptRecorder extends BaseCallbackHandler {
  name = 'PromptRecorder';
  readonly prompts: BaseMessage[][] = [];
  override handleChatModelStart(_llm: Serialized, messages: BaseMessage[][]): void {
    this.prompts.push(messages[0] ?? []);
  }
}

describe('withForesightContext', () => {
  let s: LangChainServer;
  beforeAll(async () => {
    s = await startLangChainServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('injects the context anticipated for the user turn into a prompt chain and records each turn once', async () => {
    const threadId = `chat-${randomUUID()}`;
    const model = new ScriptedChatModel([{ text: 'Booked.' }, { text: 'Hotel booked.' }]);
    const seen: CallContext[] = [];
    const debug: string[] = [];
    const wrapped = withForesightContext(model, s.client, {
      awaitContextMs: 5000,
      onContext: (context) => seen.push(context),
      logger: { warn: () => undefined, debug: (_details, message) => debug.push(message) },
    });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', SYSTEM_PROMPT],
      ['placeholder', '{history}'],
      ['human', '{question}'],
    ]);
    const chain = prompt.pipe(wrapped).pipe(new StringOutputParser());
    const config = { metadata: { thread_id: threadId, user_id: 'alice' } };

    expect(await chain.invoke({ history: [], question: QUESTION }, config)).toBe('Booked.');
    const first = systemText(model.seen[0]);
    expect(first.startsWith(`${SYSTEM_PROMPT}\n\n${CONTEXT_OPEN_TAG}`)).toBe(true);
    expect(first.endsWith(CONTEXT_CLOSE_TAG)).toBe(true);
    expect(first).toContain(MEMORY_LINE);
    // The hook saw what went in: the block, from the bundle answering the user turn.
    expect(seen).toHaveLength(1);
    expect(first.endsWith(seen[0]?.block ?? 'no block')).toBe(true);
    expect(seen[0]).toMatchObject({ source: 'waited', anticipation: 'arrived' });
    expect(seen[0]?.bundleId).toEqual(expect.any(String));
    expect(debug[0]).toMatch(
      new RegExp(`injected context from bundle ${seen[0]?.bundleId}, \\d+ ms old`),
    );

    const history = [new HumanMessage(QUESTION), new AIMessage('Booked.')];
    await chain.invoke({ history, question: 'And a hotel?' }, config);
    await wrapped.foresight.tracker.flush();

    expect(await s.stored(threadId)).toEqual([
      ['user', QUESTION],
      ['assistant', 'Booked.'],
      ['user', 'And a hotel?'],
      ['assistant', 'Hotel booked.'],
    ]);
    await expect.poll(() => summarize(s.eventsOf(threadId)).userMessages).toBe(2);
    expect(wrapped.foresight.stats()).toMatchObject({
      status: 'ok',
      modelCalls: 2,
      failures: NO_FAILURES,
    });
  });

  it('injects into streamed calls and into a model bound from it, and puts a system message first when there is none', async () => {
    const threadId = `chat-${randomUUID()}`;
    const seen: CallContext[] = [];
    const wrapped = withForesightContext(
      new FakeListChatModel({ responses: ['Booked your seat.', 'Done.'] }),
      s.client,
      {
        identity: { threadId, userId: 'alice' },
        awaitContextMs: 5000,
        onContext: (context) => seen.push(context),
      },
    );
    const recorder = new PromptRecorder();

    let streamed = '';
    for await (const chunk of await wrapped.stream([new HumanMessage(QUESTION)], {
      callbacks: [recorder],
    })) {
      streamed += chunk.text;
    }
    expect(streamed).toBe('Booked your seat.');
    const [streamPrompt] = recorder.prompts;
    expect(streamPrompt?.[0]?.type).toBe('system');
    expect(systemText(streamPrompt).startsWith(CONTEXT_OPEN_TAG)).toBe(true);
    expect(systemText(streamPrompt)).toContain(MEMORY_LINE);
    expect(streamPrompt?.slice(1).map((message) => message.text)).toEqual([QUESTION]);

    const bound = wrapped.withConfig({ tags: ['bound'] });
    await bound.invoke(
      [
        new SystemMessage(SYSTEM_PROMPT),
        new HumanMessage(QUESTION),
        new AIMessage('Booked your seat.'),
        new HumanMessage('Is the aisle seat confirmed?'),
      ],
      { callbacks: [recorder] },
    );
    // Whatever the service anticipated for the new turn, it is what the bound model saw.
    const block = seen[1]?.block ?? '';
    expect(block.startsWith(CONTEXT_OPEN_TAG)).toBe(true);
    expect(systemText(recorder.prompts[1])).toBe(`${SYSTEM_PROMPT}\n\n${block}`);
    await wrapped.foresight.tracker.flush();
    expect(await s.stored(threadId)).toEqual([
      ['user', QUESTION],
      ['assistant', 'Booked your seat.'],
      ['user', 'Is the aisle seat confirmed?'],
      ['assistant', 'Done.'],
    ]);
  });

  it('records through a ForesightCallbackHandler the call already has, never twice', async () => {
    const threadId = `chat-${randomUUID()}`;
    const handler = new ForesightCallbackHandler(s.client);
    const model = new ScriptedChatModel([{ text: 'Booked.' }]);
    const wrapped = withForesightContext(model, s.client, { awaitContextMs: 5000 });
    await wrapped.invoke([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(QUESTION)], {
      callbacks: [handler],
      metadata: { thread_id: threadId, user_id: 'alice' },
    });
    expect(systemText(model.seen[0])).toContain(MEMORY_LINE);
    await handler.tracker.flush();

    expect(await s.stored(threadId)).toEqual([
      ['user', QUESTION],
      ['assistant', 'Booked.'],
    ]);
    await expect.poll(() => summarize(s.eventsOf(threadId)).userMessages).toBe(1);
    // The handler's tracker served the call; the wrapper's own was never used.
    expect(handler.stats()).toMatchObject({ modelCalls: 1, failures: NO_FAILURES });
    expect(wrapped.foresight.stats()).toMatchObject({ modelCalls: 0, recorded: 0, eventsSent: 0 });
  });

  it('goes on without context when a call names no user, counting it', async () => {
    const warnings: string[] = [];
    const model = new ScriptedChatModel([{ text: 'Hi.' }]);
    const wrapped = withForesightContext(model, s.client, {
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const answer = await wrapped.invoke([
      new SystemMessage(SYSTEM_PROMPT),
      new HumanMessage('Hello'),
    ]);
    expect(answer).toBeInstanceOf(AIMessage);
    expect(systemText(model.seen[0])).toBe(SYSTEM_PROMPT);
    expect(wrapped.foresight.stats().failures.input).toBeGreaterThan(0);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
