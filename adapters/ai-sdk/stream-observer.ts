import type { ReadableStreamReadResult, StreamPipeOptions } from 'node:stream/web';

/** A stream part as the observer reads it: V3 and V4 share these fields. */
interface ObservedPart {
  type?: unknown;
  id?: unknown;
  delta?: unknown;
  toolCallId?: unknown;
  toolName?: unknown;
  input?: unknown;
}

/** What a stream told: its text blocks in order, and each completed tool call as it came. */
export interface StreamObserver {
  toolCall(call: { toolCallId: string; toolName: string; args: unknown }): void;
  /** The stream ended (or was cancelled) with this text; blocks joined by newlines. */
  end(text: string): void;
}

/**
 * Passes every part through unchanged, telling the observer about each tool call the
 * moment its part completes, before it is passed on (so before the SDK runs the tool),
 * and the text once the stream ends or is cancelled. The observer runs fail-open: it must
 * not throw.
 *
 * The model's own stream comes back, so nothing is built until it is read. `pipeThrough`,
 * which is how the AI SDK reads a model's stream, pumps the parts straight into the SDK's
 * transform. Any other way of reading it (a reader, `pipeTo`, `tee`, iteration) reads an
 * observed stream over it instead. In the adapter bench a wrapping stream cost about 8 µs a
 * `streamText` call (building it, and a queue hop per part), the pump about 1 µs, against
 * a 10 µs budget for the whole adapter.
 */
export function observeStream<T>(
  stream: ReadableStream<T>,
  observer: StreamObserver,
): ReadableStream<T> {
  const watcher = partWatcher<T>(observer);
  // A stream of another class keeps its class (and whatever it adds): it is wrapped.
  if (Object.getPrototypeOf(stream) !== standard) {
    return observedCopy(stream.getReader(), watcher);
  }
  watched.set(stream, { watcher: watcher as PartWatcher<unknown>, observed: undefined });
  // One prototype shared by every observed stream, not properties set on each: own
  // properties turn a stream into a dictionary object, and every internal access of the
  // runtime's stream code then got slower (it cost more than the wrapping stream did).
  Object.setPrototypeOf(stream, observedStreamPrototype);
  return stream;
}

interface WatchedStream {
  watcher: PartWatcher<unknown>;
  /** The pull stream over the model's, once anything but the fast `pipeThrough` read it. */
  observed: ReadableStream<unknown> | undefined;
}

const watched = new WeakMap<ReadableStream<unknown>, WatchedStream>();
const standard = ReadableStream.prototype;

/** A default reader of the model's stream, taken past the overrides below. */
function sourceReader(stream: ReadableStream<unknown>): ReadableStreamDefaultReader<unknown> {
  return standard.getReader.call(stream) as ReadableStreamDefaultReader<unknown>;
}

/** The model's stream, as an observed stream to read the standard way. */
function readObserved(stream: ReadableStream<unknown>): ReadableStream<unknown> {
  const state = watched.get(stream);
  if (state === undefined) return stream;
  state.observed ??= observedCopy(sourceReader(stream), state.watcher);
  return state.observed;
}

const observedStreamPrototype: ReadableStream<unknown> = Object.create(standard, {
  pipeThrough: {
    value(
      this: ReadableStream<unknown>,
      transform: ReadableWritablePair<unknown, unknown>,
      options?: StreamPipeOptions,
    ) {
      const state = watched.get(this);
      // Options change how errors and closes travel; the standard pipe honours them exactly.
      if (
        state === undefined ||
        state.observed !== undefined ||
        options !== undefined ||
        this.locked
      ) {
        return standard.pipeThrough.call(readObserved(this), transform, options);
      }
      pump(sourceReader(this), transform.writable.getWriter(), state.watcher);
      return transform.readable;
    },
  },
  getReader: {
    value(this: ReadableStream<unknown>, ...args: unknown[]) {
      return Reflect.apply(standard.getReader, readObserved(this), args);
    },
  },
  pipeTo: {
    value(this: ReadableStream<unknown>, ...args: unknown[]) {
      return Reflect.apply(standard.pipeTo, readObserved(this), args);
    },
  },
  tee: {
    value(this: ReadableStream<unknown>) {
      return standard.tee.call(readObserved(this));
    },
  },
  values: {
    value(this: ReadableStream<unknown>, ...args: unknown[]) {
      return Reflect.apply(standard.values, readObserved(this), args);
    },
  },
  [Symbol.asyncIterator]: {
    value(this: ReadableStream<unknown>, ...args: unknown[]) {
      return Reflect.apply(standard[Symbol.asyncIterator], readObserved(this), args);
    },
  },
});

/** The observer fed part by part; `end` tells it once, whichever way the stream stops. */
interface PartWatcher<T> {
  see(part: T): void;
  end(): void;
}

function partWatcher<T>(observer: StreamObserver): PartWatcher<T> {
  // Deltas kept per text block and joined once at the end: no string built per part.
  const blocks = new Map<string, string[]>();
  let ended = false;
  return {
    see(chunk) {
      const part = (typeof chunk === 'object' && chunk !== null ? chunk : {}) as ObservedPart;
      if (part.type === 'text-delta' && typeof part.delta === 'string') {
        const id = typeof part.id === 'string' ? part.id : '';
        const deltas = blocks.get(id);
        if (deltas === undefined) blocks.set(id, [part.delta]);
        else deltas.push(part.delta);
      } else if (
        part.type === 'tool-call' &&
        typeof part.toolCallId === 'string' &&
        typeof part.toolName === 'string'
      ) {
        observer.toolCall({
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          args: part.input,
        });
      }
    },
    end() {
      if (ended) return;
      ended = true;
      observer.end(Array.from(blocks.values(), (deltas) => deltas.join('')).join('\n'));
    },
  };
}

/**
 * A pull stream over the model's reader: `highWaterMark: 0` reads a part only when the
 * consumer asks for one, so a tool call is observed just before the consumer sees it.
 */
function observedCopy<T>(
  source: ReadableStreamDefaultReader<T>,
  watcher: PartWatcher<T>,
): ReadableStream<T> {
  return new ReadableStream<T>(
    {
      // A promise chain, not an async function: one fewer promise per part.
      pull: (controller) =>
        source.read().then((result) => {
          if (result.done) {
            watcher.end();
            controller.close();
            return;
          }
          watcher.see(result.value);
          controller.enqueue(result.value);
        }),
      // A reader that stops early still had a turn worth recording.
      cancel: (reason) => {
        watcher.end();
        return source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Moves parts from the model into the consumer's transform, with the standard pipe's
 * semantics for the default options: it waits for the transform to be ready before each
 * write (backpressure), closes it when the model's stream ends, aborts it with the
 * model's error, and cancels the model's stream when the consumer cancels.
 */
function pump<T>(
  source: ReadableStreamDefaultReader<T>,
  sink: WritableStreamDefaultWriter<T>,
  watcher: PartWatcher<T>,
): void {
  let stopped = false;
  // The consumer went away (cancelled the readable side, or its transform failed): the
  // turn so far is still worth recording, and the model's stream is cancelled, even
  // while a read is pending.
  const consumerGone = (reason: unknown) => {
    if (stopped) return;
    stopped = true;
    watcher.end();
    source.cancel(reason).catch(() => {});
  };
  sink.closed.then(undefined, consumerGone);
  // An async loop, not a promise chain: V8 resumes it without a closure per part, and in
  // the adapter bench it cost a third of the chained version.
  (async () => {
    for (;;) {
      let result: ReadableStreamReadResult<T>;
      try {
        result = await source.read();
      } catch (error) {
        // The model's stream failed: the consumer sees its error, as with the standard pipe.
        if (!stopped) sink.abort(error).catch(() => {});
        stopped = true;
        return;
      }
      if (stopped) return;
      if (result.done) {
        stopped = true;
        watcher.end();
        sink.close().catch(() => {});
        return;
      }
      watcher.see(result.value);
      // The next part is read only once the transform is ready for this one: at most one
      // part is read ahead of the consumer.
      try {
        await sink.ready;
      } catch (reason) {
        consumerGone(reason);
        return;
      }
      if (stopped) return;
      // Not awaited: `ready` is the backpressure, as in the standard pipe.
      sink.write(result.value).catch(() => {});
    }
  })().catch((error: unknown) => {
    // Only an observer that broke its promise not to throw lands here: the consumer
    // gets the error rather than a stream that never ends.
    if (stopped) return;
    stopped = true;
    sink.abort(error).catch(() => {});
    source.cancel(error).catch(() => {});
  });
}
