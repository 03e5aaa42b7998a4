import type { ConversationIdentity, ConversationTracker } from '../../src/tracker/index.js';

/** What a wrapped tool reports with, resolved once when the tool is wrapped. */
export interface ToolReporting {
  tracker: ConversationTracker;
  /** The name events carry. */
  toolName: string;
  /** Applied over the tracker's identity on every call; empty: the tracker's own. */
  identity: Partial<ConversationIdentity>;
  /** An id for a call that comes without one. */
  newToolCallId: () => string;
}

/** The end of one tool run: exactly one of these is called, once. */
export interface ToolRunEnd {
  ok(result: unknown): void;
  failed(error: unknown): void;
}

/**
 * Sends the run's `tool_call` now (fire-and-forget: the tracker owns the request) and
 * answers how to send its `tool_result`. Never throws and never waits on the network.
 */
export function startToolRun(
  reporting: ToolReporting,
  call: { toolCallId: string; args: unknown; identity?: Partial<ConversationIdentity> },
): ToolRunEnd {
  const { tracker, toolName } = reporting;
  const identity = { ...reporting.identity, ...call.identity };
  const base = { toolCallId: call.toolCallId, toolName, identity };
  tracker.toolCall({ ...base, args: call.args });
  let ended = false;
  const end = (outcome: { result: unknown } | { error: unknown }) => {
    if (ended) return;
    ended = true;
    tracker.toolResult({ ...base, ...outcome });
  };
  return {
    ok: (result) => end({ result }),
    // `throw undefined` still failed: the tracker tells a failure by `error !== undefined`.
    failed: (error) => end({ error: error === undefined ? null : error }),
  };
}

/**
 * Runs `run` and reports how it ends, handing back its value untouched: a plain value
 * as is; a promise as one settling the same way (the same error object rejected); with
 * `iterables`, an async iterable as one yielding every value unchanged, reporting the
 * last value when it ends (or the error it throws). A synchronous throw is rethrown.
 */
export function observeOutcome<R>(
  run: () => R,
  end: ToolRunEnd,
  options: { iterables: boolean },
): R {
  let value: R;
  try {
    value = run();
  } catch (error) {
    end.failed(error);
    throw error;
  }
  // Checked before promises, as the AI SDK does: an iterable result is a stream of outputs.
  if (options.iterables && isAsyncIterable(value)) {
    return reportLast(value, end) as R;
  }
  if (isPromiseLike(value)) {
    return Promise.resolve(value).then(
      (result) => {
        end.ok(result);
        return result;
      },
      (error: unknown) => {
        end.failed(error);
        throw error;
      },
    ) as R;
  }
  end.ok(value);
  return value;
}

/** Passes every value through; reports the last one when the source ends or is left early. */
async function* reportLast<T>(source: AsyncIterable<T>, end: ToolRunEnd): AsyncGenerator<T> {
  let last: T | undefined;
  let threw = false;
  try {
    for await (const value of source) {
      last = value;
      yield value;
    }
  } catch (error) {
    threw = true;
    end.failed(error);
    throw error;
  } finally {
    // Also reached when the consumer stops early (`return()`): the last value it saw is the result.
    if (!threw) end.ok(last);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
