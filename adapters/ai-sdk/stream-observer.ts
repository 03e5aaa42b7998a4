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
 * and the text once the stream ends. The observer runs fail-open: it must not throw.
 */
export function observeStream<T>(
  stream: ReadableStream<T>,
  observer: StreamObserver,
): ReadableStream<T> {
  const blocks = new Map<string, string>();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    observer.end([...blocks.values()].join('\n'));
  };
  return stream.pipeThrough(
    new TransformStream<T, T>({
      transform(chunk, controller) {
        const part = (typeof chunk === 'object' && chunk !== null ? chunk : {}) as ObservedPart;
        if (part.type === 'text-delta' && typeof part.delta === 'string') {
          const id = typeof part.id === 'string' ? part.id : '';
          blocks.set(id, (blocks.get(id) ?? '') + part.delta);
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
        controller.enqueue(chunk);
      },
      flush: end,
      // A reader that stops early still had a turn worth recording.
      cancel: end,
    }),
  );
}
