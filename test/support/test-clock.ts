import type { Clock } from '../../src/clock.js';

/**
 * The machine's clock moved by `offsetMs`, and moved further by `advance`: a server
 * given it lives a year ahead (or behind) and lets a test step over an expiry
 * without waiting for it.
 */
export class TestClock implements Clock {
  #offsetMs: number;

  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
