/**
 * The server-wide bound on Listen events received and not yet handled. Each stream
 * has its own bound too; this one keeps many streams together from queueing more
 * than the engine can work through, so latency stays bounded under overload: past
 * it, events are dropped with a `throttle` signal instead of waiting in memory.
 */
export class EventAdmission {
  readonly max: number;
  #inFlight = 0;

  /** `max`: events in flight over all streams. Default 2048. */
  constructor(max = 2048) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`maxEventsInFlight: must be a positive integer, got ${max}`);
    this.max = max;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes a slot, or answers false when all are taken. Every true needs one `release`. */
  tryAcquire(): boolean {
    if (this.#inFlight >= this.max) return false;
    this.#inFlight += 1;
    return true;
  }

  release(): void {
    if (this.#inFlight > 0) this.#inFlight -= 1;
  }
}
