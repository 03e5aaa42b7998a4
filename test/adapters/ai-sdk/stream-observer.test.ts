import { describe, expect, it, vi } from 'vitest';
import { observeStream, type StreamObserver } from '../../../adapters/ai-sdk/stream-observer.js';

type Part = {
  type: string;
  id?: string;
  delta?: string;
  toolCallId?: string;
  toolName?: string;
  input?: string;
};

const PARTS: Part[] = [
  { type: 'stream-start' },
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Booking ' },
  { type: 'text-delta', id: 't1', delta: 'now.' },
  { type: 'text-end', id: 't1' },
  { type: 'tool-call', toolCallId: 'c1', toolName: 'book_flight', input: '{"to":"LIS"}' },
  { type: 'text-delta', id: 't2', delta: 'Done.' },
  { type: 'finish' },
];

/** A model stream that counts the parts read from it and whether it was cancelled. */
function modelStream(parts: readonly Part[], failAt?: number) {
  const state = { pulled: 0, cancelled: undefined as unknown };
  const stream = new ReadableStream<Part>(
    {
      pull(controller) {
        if (state.pulled === failAt) {
          controller.error(new Error('provider dropped the connection'));
          return;
        }
        const part = parts[state.pulled++];
        if (part === undefined) controller.close();
        else controller.enqueue(part);
      },
      cancel(reason) {
        state.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** An observer that keeps what it was told, and the parts the consumer had seen by then. */
function recorder(seen: Part[]) {
  const told = {
    toolCalls: [] as { call: unknown; consumerHadSeen: number }[],
    ends: [] as string[],
  };
  const observer: StreamObserver = {
    toolCall: (call) => told.toolCalls.push({ call, consumerHadSeen: seen.length }),
    end: (text) => told.ends.push(text),
  };
  return { told, observer };
}

/** The pass-through transform the AI SDK pipes a model stream into. */
function sdkTransform(seen: Part[]) {
  return new TransformStream<Part, Part>({
    transform(part, controller) {
      seen.push(part);
      controller.enqueue(part);
    },
  });
}

async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

const TOOL_CALL = { toolCallId: 'c1', toolName: 'book_flight', args: '{"to":"LIS"}' };

describe('observeStream', () => {
  it('pipes every part through unchanged and tells the tool call before the transform sees it', async () => {
    const seen: Part[] = [];
    const { stream } = modelStream(PARTS);
    const { told, observer } = recorder(seen);
    const out = await readAll(observeStream(stream, observer).pipeThrough(sdkTransform(seen)));
    expect(out).toEqual(PARTS);
    expect(told.toolCalls).toEqual([{ call: TOOL_CALL, consumerHadSeen: 5 }]);
    expect(told.ends).toEqual(['Booking now.\nDone.']);
  });

  it('observes the same way when read with a reader, by iteration or through pipeTo', async () => {
    const readers: Record<string, (stream: ReadableStream<Part>) => Promise<Part[]>> = {
      reader: readAll,
      iteration: async (stream) => {
        const out: Part[] = [];
        for await (const part of stream) out.push(part);
        return out;
      },
      pipeTo: async (stream) => {
        const out: Part[] = [];
        await stream.pipeTo(new WritableStream({ write: (part) => void out.push(part) }));
        return out;
      },
      'pipeThrough with options': (stream) =>
        readAll(stream.pipeThrough(new TransformStream(), { preventCancel: false })),
    };
    for (const [way, read] of Object.entries(readers)) {
      const { stream } = modelStream(PARTS);
      const { told, observer } = recorder([]);
      const observed = observeStream(stream, observer);
      expect(await read(observed), way).toEqual(PARTS);
      expect(
        told.toolCalls.map(({ call }) => call),
        way,
      ).toEqual([TOOL_CALL]);
      expect(told.ends, way).toEqual(['Booking now.\nDone.']);
    }
  });

  it('wraps a stream of another class instead of changing its class', async () => {
    class TaggedStream<T> extends ReadableStream<T> {
      readonly tag = 'provider';
    }
    const parts = [...PARTS];
    const tagged = new TaggedStream<Part>({
      pull(controller) {
        const part = parts.shift();
        if (part === undefined) controller.close();
        else controller.enqueue(part);
      },
    });
    const { told, observer } = recorder([]);
    const observed = observeStream(tagged, observer);
    expect(tagged).toBeInstanceOf(TaggedStream);
    expect(await readAll(observed.pipeThrough(new TransformStream()))).toEqual(PARTS);
    expect(told.toolCalls.map(({ call }) => call)).toEqual([TOOL_CALL]);
    expect(told.ends).toEqual(['Booking now.\nDone.']);
  });

  it('reads at most one part ahead of a consumer that is not reading', async () => {
    const seen: Part[] = [];
    const { stream, state } = modelStream(PARTS);
    const reader = observeStream(stream, recorder(seen).observer)
      .pipeThrough(sdkTransform(seen))
      .getReader();
    await reader.read();
    // Let the pump run as far as it will: the streams here do no I/O, so a few turns of
    // the event loop settle every promise job it could queue.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // One read by the consumer; the transform's queue and the pump hold a part each.
    expect(state.pulled).toBeLessThanOrEqual(3);
    await reader.cancel();
  });

  it('records the text so far and cancels the model when the consumer cancels', async () => {
    const seen: Part[] = [];
    const { stream, state } = modelStream(PARTS);
    const { told, observer } = recorder(seen);
    const reader = observeStream(stream, observer).pipeThrough(sdkTransform(seen)).getReader();
    for (let read = 0; read < 4; read++) await reader.read();
    await reader.cancel('user stopped');
    await vi.waitFor(() => expect(state.cancelled).toBe('user stopped'), { timeout: 10_000 });
    expect(told.ends).toHaveLength(1);
    expect(told.ends[0]).toMatch(/^Booking /);
  });

  it('hands the model stream error to the consumer and records nothing', async () => {
    const seen: Part[] = [];
    const { stream } = modelStream(PARTS, 3);
    const { told, observer } = recorder(seen);
    const piped = observeStream(stream, observer).pipeThrough(sdkTransform(seen));
    await expect(readAll(piped)).rejects.toThrow('provider dropped the connection');
    expect(told.ends).toEqual([]);
  });
});
