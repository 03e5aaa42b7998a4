import { ToolMessage } from '@langchain/core/messages';
import { type DynamicStructuredTool, StructuredTool, tool } from '@langchain/core/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withForesight } from '../../../adapters/tools/index.js';
import { NO_FAILURES, startToolServer, type ToolServer } from './tool-server.js';

const weatherSchema = z.object({ city: z.string() });

function weatherTool(run: (input: { city: string }) => Promise<string>) {
  return tool(run, {
    name: 'weather',
    description: 'The weather in a city',
    schema: weatherSchema,
  });
}

describe('withForesight (LangChain tools)', () => {
  let s: ToolServer;
  beforeAll(async () => {
    s = await startToolServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reports a ToolCall invocation by its id, and keeps name, description, schema and class', async () => {
    const { tracker, threadId } = s.newTracker();
    const original = weatherTool(async ({ city }) => `Sunny in ${city}`);
    const wrapped: DynamicStructuredTool = withForesight(original, { tracker });

    expect(wrapped).toBeInstanceOf(StructuredTool);
    expect(wrapped.name).toBe('weather');
    expect(wrapped.description).toBe(original.description);
    expect(wrapped.schema).toBe(original.schema);

    const message = await wrapped.invoke({
      type: 'tool_call',
      id: 'lc-call-1',
      name: 'weather',
      args: { city: 'Lisbon' },
    });
    expect(ToolMessage.isInstance(message)).toBe(true);
    expect(message.content).toBe('Sunny in Lisbon');
    expect(message.tool_call_id).toBe('lc-call-1');
    await s.settled(tracker, threadId, 2);

    const [call, result] = s.eventsOf(threadId);
    expect([call?.eventType, call?.toolName, call?.toolArgs]).toEqual([
      'tool_call',
      'weather',
      { city: 'Lisbon' },
    ]);
    expect(call?.metadata.tool_call_id).toBe('lc-call-1');
    expect([result?.eventType, result?.content, result?.metadata.tool_call_id]).toEqual([
      'tool_result',
      'Sunny in Lisbon',
      'lc-call-1',
    ]);
    expect(tracker.stats().failures).toEqual(NO_FAILURES);
  });

  it("takes the id from the config's toolCall, and the identity from the run's thread_id", async () => {
    const { tracker } = s.newTracker();
    const threadId = `lc-thread-${Date.now()}`;
    const wrapped = withForesight(
      weatherTool(async ({ city }) => `Rain in ${city}`),
      { tracker },
    );
    const output = await wrapped.invoke(
      { city: 'Porto' },
      {
        configurable: { thread_id: threadId, user_id: 'carol' },
        toolCall: { id: 'lc-call-2', name: 'weather', args: { city: 'Porto' } },
      },
    );
    expect((output as ToolMessage).content).toBe('Rain in Porto');
    await s.settled(tracker, threadId, 2);
    const events = s.eventsOf(threadId);
    expect(
      events.map((event) => [event.eventType, event.userId, event.metadata.tool_call_id]),
    ).toEqual([
      ['tool_call', 'carol', 'lc-call-2'],
      ['tool_result', 'carol', 'lc-call-2'],
    ]);
  });

  it('gives a call invoked with bare arguments an id of its own', async () => {
    const { tracker, threadId } = s.newTracker();
    const wrapped = withForesight(
      weatherTool(async ({ city }) => `Snow in ${city}`),
      { tracker, newToolCallId: () => 'generated-1' },
    );
    expect(await wrapped.invoke({ city: 'Oslo' })).toBe('Snow in Oslo');
    await s.settled(tracker, threadId, 2);
    expect(
      s.eventsOf(threadId).map((event) => [event.metadata.tool_call_id, event.content]),
    ).toEqual([
      ['generated-1', ''],
      ['generated-1', 'Snow in Oslo'],
    ]);
  });

  it('rethrows the same error and reports it; batch goes through the wrapper too', async () => {
    const { tracker, threadId } = s.newTracker();
    const failure = new Error('service down');
    const wrapped = withForesight(
      weatherTool(async ({ city }) => {
        if (city === 'Atlantis') throw failure;
        return `Fog in ${city}`;
      }),
      { tracker },
    );
    await expect(
      wrapped.invoke({
        type: 'tool_call',
        id: 'lc-fail',
        name: 'weather',
        args: { city: 'Atlantis' },
      }),
    ).rejects.toBe(failure);
    const batch = await wrapped.batch([
      { type: 'tool_call', id: 'lc-b1', name: 'weather', args: { city: 'Faro' } },
    ]);
    expect((batch[0] as ToolMessage).content).toBe('Fog in Faro');
    await s.settled(tracker, threadId, 4);

    const results = s.eventsOf(threadId).filter((event) => event.eventType === 'tool_result');
    expect(
      results.map((event) => [event.metadata.tool_call_id, event.metadata.status, event.content]),
    ).toEqual(
      expect.arrayContaining([
        ['lc-fail', 'error', 'Error: service down'],
        ['lc-b1', 'ok', 'Fog in Faro'],
      ]),
    );
  });
});
