import type { OutgoingEvent } from './event-stream.js';
import type { ForesightLogger } from './logger.js';

export interface QueuedEvent {
  event: OutgoingEvent;
  /** When `send` was called, by `now`. */
  queuedAt: number;
}

/** The bounds of a {@link ReplayQueue}; `GrpcEventStream` passes its resolved options. */
export interface ReplayQueueOptions {
  /** Events kept; the oldest is dropped (and counted) past it. */
  maxQueuedEvents: number;
  /** A queued event older than this is dropped (and counted) instead of replayed, ms. */
  maxQueuedAgeMs: number;
  logger: ForesightLogger;
  /** Epoch ms for queue ages. */
  now: () => number;
}

/**
 * The events of a `GrpcEventStream` waiting for a connected Listen call: those sent while
 * disconnected and those a dead call never confirmed, in order, replayed on the next call.
 * Bounded by count and age; what it drops is counted and told once per reconnect.
 */
export class ReplayQueue {
  readonly #options: ReplayQueueOptions;
  #queue: QueuedEvent[] = [];
  #dropped = 0;
  #unreportedDrops = 0;

  constructor(options: ReplayQueueOptions) {
    this.#options = options;
  }

  /** Events dropped so far: queue full, too old to replay, or unsent at close. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues an event sent while disconnected; those past `maxQueuedAgeMs` go first. */
  push(queued: QueuedEvent): void {
    this.#queue.push(queued);
    this.#expire();
    this.#trim();
  }

  /** Puts a dead call's unconfirmed events back in front of those queued meanwhile. */
  requeue(events: QueuedEvent[]): void {
    this.#queue.unshift(...events);
    this.#trim();
  }

  /** Empties the queue into `write`, in order, dropping events past `maxQueuedAgeMs`. */
  replay(write: (queued: QueuedEvent) => void): void {
    const oldest = this.#options.now() - this.#options.maxQueuedAgeMs;
    // Written at once, past the back-pressure mark: at most maxQueuedEvents, buffered by grpc-js.
    for (const queued of this.#queue.splice(0)) {
      if (queued.queuedAt < oldest) this.#drop(1);
      else write(queued);
    }
    this.#reportDrops();
  }

  /** Drops (and counts) every queued event: the stream is closing or failed. */
  dropAll(): void {
    this.#drop(this.#queue.splice(0).length);
    this.#reportDrops();
  }

  /** Queued in order, so the expired ones are a prefix: a long outage does not hold them. */
  #expire(): void {
    const oldest = this.#options.now() - this.#options.maxQueuedAgeMs;
    let expired = 0;
    while (expired < this.#queue.length && (this.#queue[expired] as QueuedEvent).queuedAt < oldest)
      expired += 1;
    if (expired > 0) this.#drop(this.#queue.splice(0, expired).length);
  }

  #trim(): void {
    const excess = this.#queue.length - this.#options.maxQueuedEvents;
    if (excess > 0) this.#drop(this.#queue.splice(0, excess).length);
  }

  #drop(count: number): void {
    this.#dropped += count;
    this.#unreportedDrops += count;
  }

  /** Drops are counted as they happen and told once per reconnect, never one by one. */
  #reportDrops(): void {
    if (this.#unreportedDrops === 0) return;
    this.#options.logger.warn(
      { dropped: this.#unreportedDrops, droppedTotal: this.#dropped },
      'events dropped while the listen stream was down',
    );
    this.#unreportedDrops = 0;
  }
}
