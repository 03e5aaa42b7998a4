import { describe, expect, it, vi } from 'vitest';
import { ReconnectBackoff } from '../../../src/client/reconnect-backoff.js';

describe('ReconnectBackoff', () => {
  it('doubles the jitter window from initialMs up to maxMs', () => {
    const backoff = new ReconnectBackoff({ initialMs: 1_000, maxMs: 30_000, random: () => 0.5 });
    const delays = Array.from({ length: 8 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect(backoff.attempt).toBe(8);
  });

  it('draws each delay uniformly from [0, window)', () => {
    const low = new ReconnectBackoff({ initialMs: 1_000, random: () => 0 });
    const high = new ReconnectBackoff({ initialMs: 1_000, random: () => 0.999_999 });
    expect(low.nextDelayMs()).toBe(0);
    expect(high.nextDelayMs()).toBe(999);
    expect(high.nextDelayMs()).toBe(1_999);
  });

  it('starts from the first window again after reset()', () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 1_000, random: () => 0.5 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(50);
  });

  it('stays finite through a very long outage', () => {
    const backoff = new ReconnectBackoff({ initialMs: 1_000, maxMs: 30_000, random: () => 0.5 });
    for (let attempt = 0; attempt < 2_000; attempt += 1) backoff.nextDelayMs();
    expect(backoff.nextDelayMs()).toBe(15_000);
  });

  it('wait() sleeps at least minimumMs and resolves early when aborted', async () => {
    vi.useFakeTimers();
    try {
      const backoff = new ReconnectBackoff({ initialMs: 10, random: () => 0 });
      let resolved = false;
      const sleeping = backoff.wait(new AbortController().signal, 60).then(() => {
        resolved = true;
      });
      await vi.advanceTimersByTimeAsync(59);
      expect(resolved).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(resolved).toBe(true);

      // Aborted: resolves with no time passing at all.
      const controller = new AbortController();
      const waiting = backoff.wait(controller.signal, 60_000);
      controller.abort();
      await waiting;
      expect(vi.getTimerCount()).toBe(0);
      await backoff.wait(controller.signal, 60_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
