import { randomUUID } from 'node:crypto';
import * as ai7 from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { foresightMiddleware } from '../../../adapters/ai-sdk/index.js';
import { conversationIdFrom, createClient, type ForesightClient } from '../../../src/index.js';
import type { NewEvent } from '../../../src/store/records.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { logStoredEvents } from '../../tracker/event-log.js';
import { AI6, AI7, type ChatMessage, type Step } from '../ai-sdk/model-harness.js';

const SEATS = ['aisle', 'window', 'middle', 'exit-row'];
const CITIES = ['Lisbon', 'Porto', 'Faro', 'Madeira'];

/** Four tool calls, each with its own id and arguments, then the answer: five steps. */
const FIVE_STEPS: Step[] = [
  ...CITIES.map((destination, at) => ({
    toolCall: {
      id: `call-${at + 1}`,
      name: 'book_flight',
      input: { destination, seat: SEATS[at] ?? 'aisle' },
    },
  })),
  { text: 'Booked four flights.' },
];

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

let t: TestServer;
let client: ForesightClient;
let events: NewEvent[];
beforeAll(async () => {
  t = await startTestServer('pglite');
  events = logStoredEvents(t);
  client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: t.tenant.key,
    env: {},
  });
  await client.instance.listen();
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe.each([AI7, AI6])('a 5-step tool loop end to end with $name', (harness) => {
  it('stores each turn once and one tool_call (exact args) and tool_result per tool call', async () => {
    const threadId = `chat-${randomUUID()}`;
    const middleware = foresightMiddleware(client, { awaitContextMs: 50 });
    const providerOptions = { foresight: { threadId, userId: 'alice' } };
    const toolInputs: unknown[] = [];
    const first: ChatMessage[] = [{ role: 'user', content: 'Book me four flights' }];
    const turn1 = await harness.run({
      middleware,
      messages: first,
      steps: FIVE_STEPS,
      stream: false,
      providerOptions,
      onTool: async (input) => {
        toolInputs.push(input);
      },
    });
    // The loop really ran five model calls and the tool four times.
    expect(turn1.prompts).toHaveLength(5);
    expect(toolInputs).toEqual(
      FIVE_STEPS.flatMap((step) => ('toolCall' in step ? [step.toolCall.input] : [])),
    );

    // A second turn re-sends the whole history: nothing of turn 1 is stored again.
    await harness.run({
      middleware,
      messages: [...first, ...turn1.responseMessages, { role: 'user', content: 'Thanks!' }],
      steps: [{ text: 'You are welcome.' }],
      stream: false,
      providerOptions,
    });
    await middleware.tracker.flush();

    const conversationId = conversationIdFrom(threadId);
    const rows = await t.server.store.listMessages(t.tenant.clientId, conversationId);
    expect(rows.map((row) => [row.role, row.content])).toEqual([
      ['user', 'Book me four flights'],
      ['assistant', 'Booked four flights.'],
      ['user', 'Thanks!'],
      ['assistant', 'You are welcome.'],
    ]);

    const ofThread = () => events.filter((event) => event.conversationId === conversationId);
    // 2 user_message + 4 tool_call + 4 tool_result.
    await expect.poll(() => ofThread().length).toBe(10);
    const calls = ofThread().filter((event) => event.eventType === 'tool_call');
    expect(calls.map((event) => [event.toolName, event.toolArgs])).toEqual(
      CITIES.map((destination, at) => ['book_flight', { destination, seat: SEATS[at] }]),
    );
    const results = ofThread().filter((event) => event.eventType === 'tool_result');
    expect(results.map((event) => [event.toolName, event.content])).toEqual(
      CITIES.map(() => ['book_flight', '{"booked":true}']),
    );
    expect(ofThread().filter((event) => event.eventType === 'user_message')).toHaveLength(2);
    expect(middleware.tracker.stats().failures).toEqual({
      record: 0,
      event: 0,
      context: 0,
      input: 0,
      adapter: 0,
    });
  });
});

describe('50 concurrent conversations through one wrapped model and one client (ai@7)', () => {
  it('gives each model call after book_flight its own user memory, and no other user one', async () => {
    const USERS = 50;
    const userIds = Array.from({ length: USERS }, (_, n) => `user-${n}`);
    const memoryOf = (n: number) => `User ${n} always flies aisle seats in row ${n}`;
    await t.server.store.insertMemories(
      t.tenant.clientId,
      userIds.map((userId, n) =>
        memory({ content: memoryOf(n), userId, memoryType: 'preferences' }),
      ),
    );
    /** Every system prompt the model received, by the user of the call, in call order. */
    const systems = new Map<string, string[]>();
    const model = new MockLanguageModelV4({
      doGenerate: async (options) => {
        const foresight = options.providerOptions?.foresight;
        const userId = typeof foresight?.userId === 'string' ? foresight.userId : 'unknown';
        const system = options.prompt.find((message) => message.role === 'system');
        systems.set(userId, [
          ...(systems.get(userId) ?? []),
          typeof system?.content === 'string' ? system.content : '',
        ]);
        const afterTool = options.prompt.at(-1)?.role === 'tool';
        return {
          content: afterTool
            ? [{ type: 'text' as const, text: `Booked for ${userId}.` }]
            : [
                {
                  type: 'tool-call' as const,
                  toolCallId: `call-${userId}`,
                  toolName: 'book_flight',
                  input: JSON.stringify({ destination: 'Lisbon', seat: 'aisle' }),
                },
              ],
          finishReason: {
            unified: afterTool ? ('stop' as const) : ('tool-calls' as const),
            raw: undefined,
          },
          usage: USAGE,
          warnings: [],
        };
      },
    });
    const middleware = foresightMiddleware(client, { awaitContextMs: 10_000 });
    const wrapped = ai7.wrapLanguageModel({ model, middleware });
    const tools = {
      book_flight: ai7.tool({
        inputSchema: z.object({ destination: z.string(), seat: z.string() }),
        execute: async () => ({ booked: true }),
      }),
    };
    const results = await Promise.all(
      userIds.map((userId) =>
        ai7.generateText({
          model: wrapped,
          system: 'You are a travel agent.',
          prompt: 'Book me a flight to Lisbon',
          tools,
          stopWhen: ai7.stepCountIs(2),
          providerOptions: { foresight: { userId, threadId: `chat-${userId}-${randomUUID()}` } },
        }),
      ),
    );
    expect(results.map((result) => result.text)).toEqual(userIds.map((id) => `Booked for ${id}.`));
    expect(systems.size).toBe(USERS);

    userIds.forEach((userId, n) => {
      const prompts = systems.get(userId) ?? [];
      // Two model calls a conversation: the tool call, then the answer after it.
      expect(prompts).toHaveLength(2);
      expect(prompts[1]).toContain(`> ${memoryOf(n)}`);
      for (const prompt of prompts) {
        const others = userIds
          .map((_, m) => memoryOf(m))
          .filter((content, m) => m !== n && prompt.includes(content));
        expect(others, `prompt of ${userId}`).toEqual([]);
      }
    });
    await middleware.tracker.flush();
    expect(middleware.tracker.stats().failures).toEqual({
      record: 0,
      event: 0,
      context: 0,
      input: 0,
      adapter: 0,
    });
  });
});
