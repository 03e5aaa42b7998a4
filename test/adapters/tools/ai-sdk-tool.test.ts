import * as ai7 from 'ai';
import * as ai6 from 'ai6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withForesight, withForesightTools } from '../../../adapters/tools/index.js';
import { resolveToolOptions } from '../../../adapters/tools/with-foresight.js';
import { NO_FAILURES, startToolServer, type ToolServer } from './tool-server.js';

const weatherInput = z.object({ city: z.string(), unit: z.enum(['c', 'f']) });
const weatherOutput = z.object({ degrees: z.number() });
const callOptions = (toolCallId: string, abortSignal?: AbortSignal) => ({
  toolCallId,
  messages: [],
  context: {},
  ...(abortSignal ? { abortSignal } : {}),
});

describe('withForesight (AI SDK tools)', () => {
  let s: ToolServer;
  beforeAll(async () => {
    s = await startToolServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('sends one tool_call with the exact arguments before execute, and one tool_result', async () => {
    const { tracker, threadId } = s.newTracker();
    const pendingWhenRun: number[] = [];
    const original = ai7.tool({
      description: 'The weather in a city',
      inputSchema: weatherInput,
      outputSchema: weatherOutput,
      execute: async () => {
        // The tool_call is on its way, not awaited: the tool runs at once.
        pendingWhenRun.push(tracker.stats().pending);
        return { degrees: 21 };
      },
    });
    const wrapped: typeof original = withForesight(original, { tracker, toolName: 'weather' });
    const input = { city: 'Lisbon', unit: 'c' as const };

    expect(await wrapped.execute(input, callOptions('call-1'))).toEqual({ degrees: 21 });
    // The same call seen again (a retried step) is not sent twice.
    await wrapped.execute(input, callOptions('call-1'));
    await s.settled(tracker, threadId, 2);

    expect(pendingWhenRun[0]).toBeGreaterThan(0);
    expect(
      s.eventsOf(threadId).map((event) => [event.eventType, event.toolName, event.toolArgs]),
    ).toEqual([
      ['tool_call', 'weather', { city: 'Lisbon', unit: 'c' }],
      ['tool_result', 'weather', null],
    ]);
    const [call, result] = s.eventsOf(threadId);
    expect(call?.metadata.tool_call_id).toBe('call-1');
    expect(result?.content).toBe('{"degrees":21}');
    expect(result?.metadata).toMatchObject({ tool_call_id: 'call-1', status: 'ok' });
    expect(tracker.stats().failures).toEqual(NO_FAILURES);
  });

  it('keeps every field and the type of the tool (ai@7 and ai@6)', () => {
    const { tracker } = s.newTracker();
    const original7 = ai7.tool({
      description: 'd7',
      title: 'Weather',
      inputSchema: weatherInput,
      outputSchema: weatherOutput,
      execute: async () => ({ degrees: 1 }),
    });
    const original6 = ai6.tool({
      description: 'd6',
      inputSchema: weatherInput,
      execute: async () => ({ degrees: 2 }),
      toModelOutput: () => ({ type: 'text', value: 'two' }),
    });
    const wrapped7 = withForesight(original7, { tracker });
    const wrapped6 = withForesight(original6, { tracker });
    // Assignable where the originals were.
    const tools7: ai7.ToolSet = { weather: wrapped7 };
    const tools6: ai6.ToolSet = { weather: wrapped6 };
    expect(Object.keys(tools7)).toEqual(['weather']);
    expect(Object.keys(tools6)).toEqual(['weather']);

    for (const [original, wrapped] of [
      [original7, wrapped7],
      [original6, wrapped6],
    ] as const) {
      expect(wrapped).not.toBe(original);
      expect(Object.keys(wrapped)).toEqual(Object.keys(original));
      for (const key of Object.keys(original) as (keyof typeof original)[]) {
        if (key !== 'execute') expect(wrapped[key]).toBe(original[key]);
      }
      expect(wrapped.execute).not.toBe(original.execute);
    }
    // A whole ToolSet, of any tool kinds, keeps its type.
    const set: ai7.ToolSet = { weather: original7 };
    const wrappedSet: ai7.ToolSet = withForesightTools(set, { tracker });
    expect(Object.keys(wrappedSet)).toEqual(['weather']);
    // A tool without execute is left alone.
    const clientSide = ai7.tool({ inputSchema: weatherInput });
    expect(withForesight(clientSide, { tracker })).toBe(clientSide);
  });

  it('rethrows the same error, sync or async, and reports it', async () => {
    const { tracker, threadId } = s.newTracker();
    const failure = new Error('no such city');
    const tools = withForesightTools(
      {
        rejects: ai7.tool({
          inputSchema: weatherInput,
          execute: async (): Promise<{ degrees: number }> => {
            throw failure;
          },
        }),
        throws: ai7.tool({
          inputSchema: weatherInput,
          execute: (): { degrees: number } => {
            throw failure;
          },
        }),
      },
      { tracker },
    );
    const input = { city: 'Atlantis', unit: 'c' as const };
    await expect(tools.rejects.execute(input, callOptions('call-a'))).rejects.toBe(failure);
    expect(() => tools.throws.execute(input, callOptions('call-b'))).toThrow(failure);
    await s.settled(tracker, threadId, 4);

    const results = s.eventsOf(threadId).filter((event) => event.eventType === 'tool_result');
    expect(results.map((event) => [event.toolName, event.content, event.metadata.status])).toEqual(
      expect.arrayContaining([
        ['rejects', 'Error: no such city', 'error'],
        ['throws', 'Error: no such city', 'error'],
      ]),
    );
    expect(results).toHaveLength(2);
  });

  it('passes every value of an async-iterable result through and reports the last', async () => {
    const { tracker, threadId } = s.newTracker();
    const values = [{ status: 'searching' }, { status: 'found', degrees: 18 }];
    const wrapped = withForesight(
      ai7.tool({
        inputSchema: weatherInput,
        async *execute() {
          for (const value of values) yield value;
        },
      }),
      { tracker, toolName: 'weather' },
    );
    const seen: unknown[] = [];
    const output = wrapped.execute({ city: 'Porto', unit: 'c' }, callOptions('call-stream'));
    for await (const value of output as AsyncIterable<unknown>) seen.push(value);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(values[0]);
    expect(seen[1]).toBe(values[1]);
    await s.settled(tracker, threadId, 2);

    const result = s.eventsOf(threadId).find((event) => event.eventType === 'tool_result');
    expect(result?.content).toBe('{"status":"found","degrees":18}');
  });

  it('reports the last value seen when the consumer stops early, and an iterable that throws', async () => {
    const { tracker, threadId } = s.newTracker();
    const failure = new Error('feed lost');
    const tools = withForesightTools(
      {
        endless: ai7.tool({
          inputSchema: weatherInput,
          async *execute() {
            for (let step = 1; ; step++) yield { step };
          },
        }),
        broken: ai7.tool({
          inputSchema: weatherInput,
          async *execute() {
            yield { step: 1 };
            throw failure;
          },
        }),
      },
      { tracker },
    );
    const input = { city: 'Braga', unit: 'c' as const };
    const endless = tools.endless.execute(input, callOptions('call-early'));
    for await (const value of endless as AsyncIterable<{ step: number }>) {
      if (value.step === 2) break;
    }
    const reading = (async () => {
      const broken = tools.broken.execute(input, callOptions('call-broken'));
      for await (const _value of broken as AsyncIterable<unknown>) {
        // Drained until it throws.
      }
    })();
    await expect(reading).rejects.toBe(failure);
    await s.settled(tracker, threadId, 4);

    const results = s.eventsOf(threadId).filter((event) => event.eventType === 'tool_result');
    expect(results.map((event) => [event.toolName, event.content, event.metadata.status])).toEqual(
      expect.arrayContaining([
        ['endless', '{"step":2}', 'ok'],
        ['broken', 'Error: feed lost', 'error'],
      ]),
    );
  });

  it('hands the abort signal to the tool and rethrows its abort', async () => {
    const { tracker, threadId } = s.newTracker();
    const controller = new AbortController();
    const signals: (AbortSignal | undefined)[] = [];
    const wrapped = withForesight(
      ai7.tool({
        inputSchema: weatherInput,
        execute: (_input, { abortSignal }) => {
          signals.push(abortSignal);
          return new Promise<{ degrees: number }>((_resolve, reject) => {
            abortSignal?.addEventListener('abort', () => reject(abortSignal.reason));
          });
        },
      }),
      { tracker, toolName: 'weather' },
    );
    const running = wrapped.execute(
      { city: 'Faro', unit: 'c' },
      callOptions('call-abort', controller.signal),
    );
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(signals).toEqual([controller.signal]);
    await s.settled(tracker, threadId, 2);

    const result = s.eventsOf(threadId).find((event) => event.eventType === 'tool_result');
    expect(result?.metadata.status).toBe('error');
  });

  it('resolves its options once: the given tracker and override, or a tracker of its own', () => {
    const { tracker } = s.newTracker();
    const shared = resolveToolOptions({ tracker, identity: { sessionId: 's1' } });
    expect(shared.tracker).toBe(tracker);
    expect(shared.identity).toEqual({ sessionId: 's1' });
    expect(shared.newToolCallId()).toMatch(/^[0-9a-f-]{36}$/);

    const own = resolveToolOptions({
      client: s.client,
      identity: { threadId: 'chat-own', userId: 'dan' },
      newToolCallId: () => 'id-1',
    });
    expect(own.tracker).not.toBe(tracker);
    expect(own.tracker.identity?.userId).toBe('dan');
    expect(own.identity).toEqual({});
    expect(own.newToolCallId()).toBe('id-1');
  });

  it('reports through a tracker of its own given a client and an identity', async () => {
    const threadId = `chat-own-${Date.now()}`;
    const wrapped = withForesight(
      ai7.tool({ inputSchema: weatherInput, execute: async () => ({ degrees: 5 }) }),
      { client: s.client, identity: { threadId, userId: 'bob' }, toolName: 'weather' },
    );
    await wrapped.execute({ city: 'Oslo', unit: 'c' }, callOptions('call-own'));
    await expect
      .poll(() => s.eventsOf(threadId).map((event) => event.eventType))
      .toEqual(['tool_call', 'tool_result']);
    expect(s.eventsOf(threadId)[0]?.userId).toBe('bob');
  });
});
