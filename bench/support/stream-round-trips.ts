import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { StreamEvent, StreamResponse } from '../../src/gen/synap/v1/synap.js';
import { type LatencySummary, summarize } from './latency-summary.js';

/** Which request a response answers, or undefined for a response that answers none. */
export type ReplyKey = (response: StreamResponse) => string | undefined;

/** One timed round trip: milliseconds from the write to the reply, and the reply. */
export interface RoundTrip {
  ms: number;
  reply: StreamResponse;
}

interface Pending {
  started: number;
  resolve: (roundTrip: RoundTrip) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/response timing over one open Listen-shaped stream: `send` writes a message
 * and resolves with the milliseconds until the response whose key matches arrives.
 * A stream error or an `error` signal fails what is pending, so a refused event is
 * reported, never waited on until the timeout.
 */
export class StreamRoundTrips {
  readonly #call: ClientDuplexStream<StreamEvent, StreamResponse>;
  readonly #pending = new Map<string, Pending>();
  readonly #timeoutMs: number;

  constructor(
    call: ClientDuplexStream<StreamEvent, StreamResponse>,
    replyKey: ReplyKey,
    timeoutMs = 10_000,
  ) {
    this.#call = call;
    this.#timeoutMs = timeoutMs;
    call.on('data', (response: StreamResponse) => {
      const arrived = performance.now();
      const key = replyKey(response);
      const pending = key === undefined ? undefined : this.#pending.get(key);
      if (pending && key !== undefined) {
        this.#settle(key);
        pending.resolve({ ms: arrived - pending.started, reply: response });
      } else if (
        response.payload?.$case === 'signal' &&
        response.payload.value.signalType === 'error'
      ) {
        this.#failAll(new Error(`server signalled an error: ${response.payload.value.reason}`));
      }
    });
    call.on('error', (error: Error) => this.#failAll(error));
  }

  send(key: string, message: StreamEvent): Promise<RoundTrip> {
    return new Promise<RoundTrip>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(key);
        reject(new Error(`no reply to ${key} within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      // Taken just before the write: serialization is part of what the client pays.
      this.#pending.set(key, { started: performance.now(), resolve, reject, timer });
      this.#call.write(message);
    });
  }

  /**
   * `warmup` untimed round trips, then `count` timed ones, one at a time; `onReply`
   * sees each timed reply (to read what the server says about its own work).
   */
  async measure(
    warmup: number,
    count: number,
    next: (index: number) => { key: string; message: StreamEvent },
    onReply?: (reply: StreamResponse) => void,
  ): Promise<LatencySummary> {
    for (let index = 0; index < warmup; index++) {
      const { key, message } = next(index);
      await this.send(key, message);
    }
    const samples: number[] = [];
    for (let index = 0; index < count; index++) {
      const { key, message } = next(warmup + index);
      const { ms, reply } = await this.send(key, message);
      samples.push(ms);
      onReply?.(reply);
    }
    return summarize(samples);
  }

  /** Half-closes the stream and waits for the server to end it. */
  async close(): Promise<void> {
    const ended = new Promise<void>((resolve) => {
      this.#call.on('status', () => resolve());
      this.#call.on('error', () => resolve());
    });
    this.#call.end();
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    this.#call.cancel();
  }

  #settle(key: string): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(key);
  }

  #failAll(error: Error): void {
    for (const [key, pending] of this.#pending) {
      this.#settle(key);
      pending.reject(error);
    }
  }
}
