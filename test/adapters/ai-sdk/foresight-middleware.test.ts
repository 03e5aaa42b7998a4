import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foresightMiddleware } from '../../../adapters/ai-sdk/index.js';
import { conversationIdFrom, createClient, type ForesightClient } from '../../../src/index.js';
import type { NewEvent } from '../../../src/store/records.js';
import { CONTEXT_OPEN_TAG } from '../../../src/tracker/index.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { logStoredEvents } from '../../tracker/event-log.js';
import { AI6, AI7, type ChatMessage, type SeenMessage, type Step } from './model-harness.js';

const TOOL_STEPS: Step[] = [
  {
    toolCall: {
      id: 'call-1',
      name: 'book_flight',
      input: { destination: 'Lisbon', seat: 'aisle' },
    },
  },
  { text: 'Booked your aisle seat to Lisbon.' },
];

function systemOf(prompt: SeenMessage[] | undefined): string {
  const system = prompt?.find((message) => message.role === 'system');
  return typeof system?.content === 'string' ? system.content : '';
}

describe.each([AI7, AI6])('foresightMiddleware with %s', (harness) => {
  let t: TestServer;
  let client: ForesightClient;
  let events: NewEvent[];
  beforeAll(async () => {
    t = await startTestServer('pglite');
    events = logStoredEvents(t);
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({ content: 'Alice always flies aisle seats', memoryType: 'preferences' }),
    ]);
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

  const eventsOf = (threadId: string) =>
    events.filter((event) => event.conversationId === conversationIdFrom(threadId));
  const stored = async (threadId: string) =>
    (await t.server.store.listMessages(t.tenant.clientId, conversationIdFrom(threadId))).map(
      (row) => [row.role, row.content],
    );

  describe.each([false, true])('stream: %s', (stream) => {
    it('records each turn once, sends tool_call with exact args before the tool runs, and injects context', async () => {
      const threadId = `chat-${randomUUID()}`;
      const middleware = foresightMiddleware(client, {
        identity: { threadId, userId: 'alice' },
        awaitContextMs: 5000,
      });
      const toolCallsSeenByTool: number[] = [];
      const onTool = async () => {
        await middleware.tracker.flush();
        await expect
          .poll(() => eventsOf(threadId).filter((event) => event.eventType === 'tool_call').length)
          .toBe(1);
        toolCallsSeenByTool.push(1);
      };
      const first: ChatMessage[] = [{ role: 'user', content: 'Book me a flight to Lisbon' }];
      const turn1 = await harness.run({
        middleware,
        messages: first,
        steps: TOOL_STEPS,
        stream,
        onTool,
      });
      expect(toolCallsSeenByTool).toEqual([1]);

      // The second step's prompt carries the context the tool call's bundle brought.
      const secondStepSystem = systemOf(turn1.prompts[1]);
      expect(secondStepSystem.startsWith('You are a travel agent.\n\n')).toBe(true);
      expect(secondStepSystem).toContain(CONTEXT_OPEN_TAG);
      expect(secondStepSystem).toContain('> Alice always flies aisle seats');

      const history: ChatMessage[] = [
        ...first,
        ...turn1.responseMessages,
        { role: 'user', content: 'Thanks! And a hotel?' },
      ];
      await harness.run({
        middleware,
        messages: history,
        steps: [{ text: 'Hotel booked.' }],
        stream,
      });
      await middleware.tracker.flush();

      expect(await stored(threadId)).toEqual([
        ['user', 'Book me a flight to Lisbon'],
        ['assistant', 'Booked your aisle seat to Lisbon.'],
        ['user', 'Thanks! And a hotel?'],
        ['assistant', 'Hotel booked.'],
      ]);
      await expect.poll(() => eventsOf(threadId).length).toBe(4);
      const sent = eventsOf(threadId).map((event) => [
        event.eventType,
        event.toolName,
        event.toolArgs,
      ]);
      expect(sent).toEqual(
        expect.arrayContaining([
          ['user_message', '', null],
          ['tool_call', 'book_flight', { destination: 'Lisbon', seat: 'aisle' }],
          ['tool_result', 'book_flight', null],
        ]),
      );
      expect(sent.filter(([type]) => type === 'tool_call')).toHaveLength(1);
      expect(sent.filter(([type]) => type === 'tool_result')).toHaveLength(1);
      expect(sent.filter(([type]) => type === 'user_message')).toHaveLength(2);
      const result = eventsOf(threadId).find((event) => event.eventType === 'tool_result');
      expect(result?.content).toBe('{"booked":true}');
      expect(middleware.tracker.stats().failures).toEqual({
        record: 0,
        event: 0,
        context: 0,
        input: 0,
        adapter: 0,
      });
    });
  });

  it('takes the identity of each call from providerOptions.foresight', async () => {
    const middleware = foresightMiddleware(client);
    const threadId = `chat-${randomUUID()}`;
    await harness.run({
      middleware,
      messages: [{ role: 'user', content: 'Hello' }],
      steps: [{ text: 'Hi Alice.' }],
      stream: false,
      providerOptions: { foresight: { threadId, userId: 'alice' } },
    });
    await middleware.tracker.flush();
    expect(await stored(threadId)).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Hi Alice.'],
    ]);
  });

  it('goes on without tracking when a call names no user, counting it once', async () => {
    const warnings: string[] = [];
    const middleware = foresightMiddleware(client, {
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const { prompts } = await harness.run({
      middleware,
      messages: [{ role: 'user', content: 'Hello' }],
      steps: [{ text: 'Hi.' }],
      stream: true,
    });
    expect(systemOf(prompts[0])).toBe('You are a travel agent.');
    expect(middleware.tracker.stats().failures.input).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
  });
});
