import { describe, expect, it } from 'vitest';
import { ForegroundLoad } from '../../src/server/foreground-load.js';

/** Lets pending timers of 0 ms and promise callbacks run, without waiting on a clock. */
async function turns(count = 5): Promise<void> {
  for (let index = 0; index < count; index++) await new Promise(setImmediate);
}

describe('ForegroundLoad', () => {
  it('is busy while a request runs and quiet once the last one left', () => {
    const load = new ForegroundLoad({ quietMs: 0 });
    expect(load.busy).toBe(false);
    const leaveFirst = load.enter();
    const leaveSecond = load.enter();
    leaveFirst();
    leaveFirst();
    expect(load.busy).toBe(true);
    leaveSecond();
    expect(load.busy).toBe(false);
  });

  it('counts a request that ran since a moment as load since that moment', () => {
    const load = new ForegroundLoad({ quietMs: 0 });
    const before = performance.now();
    load.enter()();
    expect(load.busySince(before)).toBe(true);
    expect(load.busySince(performance.now() + 1)).toBe(false);
  });

  it('holds a waiter while a request runs and lets it go once the foreground is quiet', async () => {
    const load = new ForegroundLoad({ quietMs: 0 });
    const leave = load.enter();
    let released = false;
    const waiting = load.whenQuiet(60_000).then(() => {
      released = true;
    });
    await turns();
    expect(released).toBe(false);
    leave();
    await waiting;
    expect(released).toBe(true);
  });

  it('lets a waiter go at its deadline or its abort, whatever the load', async () => {
    const load = new ForegroundLoad();
    load.enter();
    await load.whenQuiet(1);
    const abort = new AbortController();
    const aborted = load.whenQuiet(60_000, abort.signal);
    abort.abort();
    await aborted;
    await load.whenQuiet(60_000, abort.signal);
    expect(load.busy).toBe(true);
  });
});
