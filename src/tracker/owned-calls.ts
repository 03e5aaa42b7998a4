import { InFlight } from '../client/in-flight.js';
import type { ForesightLogger } from '../client/logger.js';

/**
 * What a failure was doing: recording turns, sending events, reading context, refusing a
 * caller's input (an identity naming no conversation or user), or bookkeeping that threw
 * (`adapter`: `ConversationTracker.guard`, around malformed framework data).
 */
export type TrackerFailureKind = 'record' | 'event' | 'context' | 'input' | 'adapter';

export const TRACKER_FAILURE_KINDS: readonly TrackerFailureKind[] = [
  'record',
  'event',
  'context',
  'input',
  'adapter',
];

/**
 * The tracker's background work, fail-open: every call is tracked until it settles (so
 * `flush()` can await it, bounded), never rejects into the agent, and its failures are
 * counted by kind and reported to the logger once per kind, not once per call.
 */
export class OwnedCalls {
  readonly #inFlight = new InFlight();
  readonly #logger: ForesightLogger;
  readonly #failures: Record<TrackerFailureKind, number> = {
    record: 0,
    event: 0,
    context: 0,
    input: 0,
    adapter: 0,
  };
  readonly #reported = new Set<TrackerFailureKind>();
  readonly #settled: ((kind: TrackerFailureKind, ok: boolean) => void) | undefined;

  /** `settled` hears how each call of `run` ended (the service's health follows it). */
  constructor(logger: ForesightLogger, settled?: (kind: TrackerFailureKind, ok: boolean) => void) {
    this.#logger = logger;
    this.#settled = settled;
  }

  /** Calls not settled yet. */
  get pending(): number {
    return this.#inFlight.size;
  }

  /** A copy of the failure counts. */
  get failures(): Record<TrackerFailureKind, number> {
    return { ...this.#failures };
  }

  /**
   * Starts `work` and tracks it. Answers its value, or `undefined` when it failed (then
   * counted as `kind`); never rejects, even when `work` throws synchronously.
   */
  run<T>(kind: TrackerFailureKind, work: () => Promise<T>): Promise<T | undefined> {
    let promise: Promise<T>;
    try {
      promise = work();
    } catch (error) {
      this.fail(kind, error);
      this.#settled?.(kind, false);
      return Promise.resolve(undefined);
    }
    return this.#inFlight.track(
      promise.then(
        (value) => {
          this.#settled?.(kind, true);
          return value;
        },
        (error: unknown) => {
          this.fail(kind, error);
          this.#settled?.(kind, false);
          return undefined;
        },
      ),
    );
  }

  /** Counts a failure; the first of each kind goes to the logger. */
  fail(kind: TrackerFailureKind, error: unknown): void {
    this.#failures[kind]++;
    if (this.#reported.has(kind)) return;
    this.#reported.add(kind);
    const message = error instanceof Error ? error.message : String(error);
    this.#logger.warn(
      { err: error, kind },
      `foresight tracker: ${kind} failed, the agent goes on without it: ${message}`,
    );
  }

  /** Waits for the calls in flight now, at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<{ settled: number; pending: number }> {
    return this.#inFlight.settle(timeoutMs);
  }
}
