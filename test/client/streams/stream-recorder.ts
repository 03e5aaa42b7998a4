import type { EventStreamHandlers } from '../../../src/client/event-stream.js';
import type { ForesightLogger } from '../../../src/client/logger.js';
import type { StreamSignal, StreamStatus } from '../../../src/client/types.js';
import type { ContextBundle } from '../../../src/protocol/context-bundle.js';

/** Event stream handlers that record every call, in order, and let a test wait for one. */
export class StreamRecorder implements EventStreamHandlers {
  readonly bundles: ContextBundle[] = [];
  readonly signals: StreamSignal[] = [];
  readonly statuses: StreamStatus[] = [];
  readonly fatals: Error[] = [];
  readonly #listeners = new Set<() => void>();

  bundle(bundle: ContextBundle): void {
    this.bundles.push(bundle);
    this.#notify();
  }

  signal(signal: StreamSignal): void {
    this.signals.push(signal);
    this.#notify();
  }

  status(status: StreamStatus): void {
    this.statuses.push(status);
    this.#notify();
  }

  fatal(error: Error): void {
    this.fatals.push(error);
    this.#notify();
  }

  /** The bundle answering `eventId`. */
  bundleFor(eventId: string, timeoutMs?: number): Promise<ContextBundle> {
    return this.waitFor(
      () => this.bundles.find((bundle) => bundle.inReplyToEventId === eventId),
      `a bundle for ${eventId}`,
      timeoutMs,
    );
  }

  /** Resolves once `status` was reported `times` times in all. */
  reached(status: StreamStatus, times = 1, timeoutMs?: number): Promise<true> {
    return this.waitFor(
      () => this.statuses.filter((seen) => seen === status).length >= times || undefined,
      `status ${status} × ${times}`,
      timeoutMs,
    );
  }

  /** The first non-undefined value of `pick`, re-checked after every recorded call. */
  waitFor<T>(pick: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = pick();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`no ${what} within ${timeoutMs} ms; statuses ${this.statuses.join(', ')}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Records warnings instead of printing them; `messages` is what a test may assert on. */
export function recordingLogger(): ForesightLogger & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    warn(_details, message) {
      messages.push(message);
    },
  };
}
